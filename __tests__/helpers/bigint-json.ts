// A JSON reader for tests that keeps integers beyond 2^53 exact (as BigInt), so a body can be
// compared with the data it was made from. Node 20's JSON.parse cannot see the source text.

export function parseExact(text: string): unknown {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const value = (): unknown => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const out: Record<string, unknown> = {};
      ws();
      if (text[i] === '}') {
        i++;
        return out;
      }
      for (;;) {
        ws();
        const key = value() as string;
        ws();
        i++; // :
        Object.defineProperty(out, key, { value: value(), enumerable: true, writable: true, configurable: true });
        ws();
        if (text[i++] === '}') return out;
      }
    }
    if (c === '[') {
      i++;
      const out: unknown[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return out;
      }
      for (;;) {
        out.push(value());
        ws();
        if (text[i++] === ']') return out;
      }
    }
    if (c === '"') {
      const start = i;
      i++;
      while (text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      i++;
      return JSON.parse(text.slice(start, i));
    }
    const match = /^-?\d+(\.\d+)?([eE][+-]?\d+)?|^true|^false|^null/.exec(text.slice(i));
    if (!match) throw new SyntaxError(`Unexpected ${text.slice(i, i + 10)}`);
    i += match[0].length;
    const token = match[0];
    // A Number is written in its shortest form; digits that a Number cannot give back were a BigInt.
    if (/^-?\d+$/.test(token) && String(Number(token)) !== token) return BigInt(token);
    return JSON.parse(token);
  };
  const result = value();
  ws();
  if (i !== text.length) throw new SyntaxError('Trailing text');
  return result;
}

/** What a value looks like after a JSON round trip: BigInts a Number can spell become numbers, -0 becomes 0. */
export function afterRoundTrip(value: unknown): unknown {
  if (typeof value === 'bigint') return String(Number(value)) === String(value) ? Number(value) : value;
  if (Object.is(value, -0)) return 0;
  if (Array.isArray(value)) return value.map(afterRoundTrip);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      Object.defineProperty(out, key, {
        value: afterRoundTrip((value as Record<string, unknown>)[key]),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  return value;
}
