// Retry-After as RFC 9110 §10.2.3 writes it, and the rate-limit reset headers, as the client reads them.

import { decode } from '../../client';
import { parseHttpDate, rateLimitResetMs, retryAfterMs } from '../../client/headers';

const NOW = Date.UTC(2026, 11, 6, 8, 0, 0);
const AT = Date.UTC(1994, 10, 6, 8, 49, 37);

describe('HTTP-date, all three forms read as GMT', () => {
  test.each([
    ['IMF-fixdate', 'Sun, 06 Nov 1994 08:49:37 GMT'],
    ['obsolete RFC 850', 'Sunday, 06-Nov-94 08:49:37 GMT'],
    ['obsolete asctime', 'Sun Nov  6 08:49:37 1994'],
  ])('%s', (_form, value) => {
    expect(parseHttpDate(value, NOW)).toBe(AT);
  });

  test('asctime with a two-digit day', () => {
    expect(parseHttpDate('Sun Dec 06 08:00:30 2026', NOW)).toBe(NOW + 30_000);
    expect(parseHttpDate('Sun Dec 16 08:00:30 2026', NOW)).toBe(NOW + 10 * 86_400_000 + 30_000);
  });

  test('an RFC 850 year more than 50 years ahead is the most recent past one', () => {
    expect(parseHttpDate('Monday, 06-Dec-76 08:00:00 GMT', NOW)).toBe(Date.UTC(2076, 11, 6, 8));
    expect(parseHttpDate('Monday, 06-Dec-77 08:00:00 GMT', NOW)).toBe(Date.UTC(1977, 11, 6, 8));
  });

  test.each([
    'Sun, 06 Nov 1994 08:49:37 PST',
    'Sun, 31 Feb 1994 08:49:37 GMT',
    'Sun, 06 Nov 1994 24:00:00 GMT',
    '1994-11-06T08:49:37Z',
    'Sun Nov 6 08:49:37 1994 GMT',
    'tomorrow',
    '',
  ])('%j is not an HTTP-date', (value) => {
    expect(parseHttpDate(value, NOW)).toBeUndefined();
  });
});

describe('Retry-After', () => {
  test.each([
    ['0', 0],
    ['120', 120_000],
    [' 5 ', 5000],
    ['Sun, 06 Dec 2026 08:00:30 GMT', 30_000],
    ['Sunday, 06-Dec-26 08:00:30 GMT', 30_000],
    ['Sun Dec  6 08:00:30 2026', 30_000],
    ['Sun, 06 Dec 2026 07:00:00 GMT', 0],
  ])('%j → %d ms', (value, ms) => {
    expect(retryAfterMs(value, NOW)).toBe(ms);
  });

  test.each(['1.5', '-1', '+5', '5s', '0x10', '1e3', ''])('%j is invalid, not 0', (value) => {
    expect(retryAfterMs(value, NOW)).toBeUndefined();
  });

  test('decode() gives retryAfter only for a valid value', () => {
    const body = { status: 'error', message: 'Later' };
    expect(decode('jsend', { status: 503, headers: { 'Retry-After': '1.5' }, body })).toStrictEqual({
      ok: false,
      kind: 'error',
      status: 503,
      message: 'Later',
      issues: [],
    });
    expect(decode('jsend', { status: 503, headers: { 'Retry-After': '-1' }, body })).toStrictEqual({
      ok: false,
      kind: 'error',
      status: 503,
      message: 'Later',
      issues: [],
    });
    expect(decode('jsend', { status: 503, headers: { 'retry-after': '7' }, body })).toStrictEqual({
      ok: false,
      kind: 'error',
      status: 503,
      message: 'Later',
      issues: [],
      retryAfter: 7,
    });
  });
});

describe('rate-limit reset', () => {
  test.each([
    [{ 'RateLimit-Reset': '12' }, 12_000],
    [{ RateLimit: 'limit=10, remaining=0, reset=12' }, 12_000],
    [{ RateLimit: '"default";r=0;t=12' }, 12_000],
    [{ RateLimit: '"a";r=0;t=3, "b";r=0;t=12' }, 12_000],
    [{ 'RateLimit-Reset': '1.5' }, undefined],
    [{ RateLimit: 'limit=10' }, undefined],
    [{}, undefined],
  ])('%j → %s ms', (headers, ms) => {
    expect(rateLimitResetMs(headers)).toBe(ms);
  });
});

describe('client options are own keys, and bad values have codes', () => {
  const response = { status: 200, body: { status: 'success', data: 1 } };
  test.each([
    [JSON.parse('{"constructor":1}'), 'ERR_ENVELOPE_UNKNOWN_OPTION'],
    [{ toString: () => 'x' }, 'ERR_ENVELOPE_UNKNOWN_OPTION'],
    [{ requestIdHeader: 5 }, 'ERR_ENVELOPE_INVALID_OPTION'],
    [{ requestIdHeader: 'bad header' }, 'ERR_ENVELOPE_INVALID_OPTION'],
    [null, 'ERR_ENVELOPE_INVALID_OPTION'],
  ])('decode() options %p', (options, code) => {
    expect(() => decode('jsend', response, options as never)).toThrow(expect.objectContaining({ code }));
  });

  test('a response that is not an object', () => {
    expect(() => decode('jsend', null as never)).toThrow(expect.objectContaining({ code: 'ERR_ENVELOPE_INVALID_OPTION' }));
  });
});
