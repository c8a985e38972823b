// serialize(): JSON text with exact BigInts and a clear error for what cannot be serialized.

import { serialize } from '../../lib/serialize';

describe('serialize()', () => {
  it('is JSON.stringify for ordinary bodies', () => {
    expect(serialize({ a: [1, 'two', null, true] })).toBe('{"a":[1,"two",null,true]}');
    expect(serialize('text')).toBe('"text"');
    expect(serialize(undefined)).toBe('');
  });

  it('writes BigInts as exact integers wherever they are', () => {
    expect(serialize(2n ** 63n - 1n)).toBe('9223372036854775807');
    expect(serialize({ id: -(2n ** 70n), list: [1n, { deep: 0n }], s: 'a"b' })).toBe(
      '{"id":-1180591620717411303424,"list":[1,{"deep":0}],"s":"a\\"b"}',
    );
  });

  it('leaves strings that look like its internal marker alone', () => {
    const tricky = '\u0000bigint-0000000000000000:12"';
    expect(JSON.parse(serialize({ tricky, n: 1n }))).toEqual({ tricky, n: 1 });
    // The markers it really uses, as a value, inside a string and as a key: written again with another.
    const markers = ['\u0000bigint-0:5', 'x"\u0000bigint-1:7"', '\u0000bigint-2:'];
    expect(serialize({ a: markers, [markers[2]]: 2n, n: 12345678901234567890n })).toBe(
      `{"a":${JSON.stringify(markers)},${JSON.stringify(markers[2])}:2,"n":12345678901234567890}`,
    );
  });

  it('applies a replacer and spaces, also on the BigInt path', () => {
    const replacer = (key: string, value: unknown) => (key === 'drop' ? undefined : value);
    expect(serialize({ a: 1n, drop: 2 }, { replacer, spaces: 1 })).toBe('{\n "a": 1\n}');
    expect(serialize({ a: 1, drop: 2 }, { replacer })).toBe('{"a":1}');
  });

  it('escapes <, > and & when asked, as Express does', () => {
    expect(serialize({ h: '<a href="x">&</a>' }, { escape: true })).toBe('{"h":"\\u003ca href=\\"x\\"\\u003e\\u0026\\u003c/a\\u003e"}');
  });

  it('throws ERR_ENVELOPE_UNSERIALIZABLE for circular data and throwing toJSON, BigInt or not', () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    const withBig: Record<string, unknown> = { n: 1n };
    withBig.self = withBig;
    const throwing = {
      toJSON() {
        throw new Error('no');
      },
    };
    for (const value of [circular, withBig, throwing]) {
      expect(() => serialize(value)).toThrow(expect.objectContaining({ code: 'ERR_ENVELOPE_UNSERIALIZABLE' }));
    }
  });
});
