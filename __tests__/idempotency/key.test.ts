// The Idempotency-Key syntax, and what counts as the same payload.

import { canonicalBody, fingerprint } from '../../lib/idempotency/fingerprint';
import { parseIdempotencyKey } from '../../lib/idempotency/key';

describe('parseIdempotencyKey()', () => {
  it.each([
    ['"8e03978e-40d5-43e8-bc93-6894a57f9324"', '8e03978e-40d5-43e8-bc93-6894a57f9324'],
    ['8e03978e-40d5-43e8-bc93-6894a57f9324', '8e03978e-40d5-43e8-bc93-6894a57f9324'],
    ['  "a:b=c+d/e.f_g"\t', 'a:b=c+d/e.f_g'],
    ['"a\\\\b"', undefined], // an escaped backslash unquotes to "\", not an allowed character
    ['"a\\"b"', undefined],
    ['"a\\nb"', undefined], // only \" and \\ are escapes in a String
    ['"' + 'k'.repeat(255) + '"', 'k'.repeat(255)],
    ['k'.repeat(256), undefined],
    ['""', undefined],
    ['', undefined],
    ['"abc', undefined],
    ['"abc"x', undefined],
    ['"abc";p=1', undefined],
    ['"a", "b"', undefined],
    ['a b', undefined],
    ['ключ', undefined],
  ])('%j → %j', (value, key) => {
    expect(parseIdempotencyKey(value)).toBe(key);
  });

  it('refuses a header sent as a list', () => {
    expect(parseIdempotencyKey(['a', 'b'])).toBeUndefined();
    expect(parseIdempotencyKey(undefined)).toBeUndefined();
  });
});

describe('the fingerprint', () => {
  it('is the same for two serializations of the same JSON, whatever the key order', () => {
    expect(canonicalBody(JSON.parse('{ "b": [1, {"y": 2, "x": 1}], "a": null }'))).toBe(canonicalBody({ a: null, b: [1, { x: 1, y: 2 }] }));
    expect(fingerprint('POST', '/p', { a: 1, b: 2 })).toBe(fingerprint('POST', '/p', { b: 2, a: 1 }));
  });

  it('differs for another value, array order, method, target or body form', () => {
    const base = fingerprint('POST', '/p', { a: 1 });
    expect(
      new Set([
        base,
        fingerprint('POST', '/p', { a: 2 }),
        fingerprint('POST', '/p', { a: '1' }),
        fingerprint('PATCH', '/p', { a: 1 }),
        fingerprint('POST', '/p?x=1', { a: 1 }),
        fingerprint('POST', '/p', '{"a":1}'),
        fingerprint('POST', '/p', Buffer.from('{"a":1}')),
        fingerprint('POST', '/p', undefined),
      ]).size,
    ).toBe(8);
    expect(canonicalBody([1, 2])).not.toBe(canonicalBody([2, 1]));
  });

  it('never matches a body it cannot serialize', () => {
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(canonicalBody(cycle)).not.toBe(canonicalBody(cycle));
  });
});
