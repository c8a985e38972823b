// Reads an Idempotency-Key header value: a Structured Field String ("…") or, for clients that send
// one, a bare token; either way 1–255 characters of A-Z a-z 0-9 - _ . : = + / (docs/guides/idempotency.md).

const KEY_CHARS = /^[A-Za-z0-9\-_.:=+/]{1,255}$/;

/**
 * The key in a header value, or `undefined` when the value is not a valid key. The value is
 * trimmed of the spaces and tabs HTTP allows around it. A quoted value follows RFC 8941's String
 * (`\"` and `\\` are the only escapes); parameters (`"k";a=1`) and lists (`"a", "b"`, or two
 * headers, which Node joins with a comma) are refused.
 */
export function parseIdempotencyKey(value: string | string[] | undefined): string | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.replace(/^[ \t]+|[ \t]+$/g, '');
  let key = text;
  if (text.startsWith('"')) {
    key = '';
    let i = 1;
    for (; i < text.length; i++) {
      const char = text[i];
      if (char === '\\') {
        const escaped = text[i + 1];
        if (escaped !== '"' && escaped !== '\\') return undefined;
        key += escaped;
        i++;
      } else if (char === '"') {
        break;
      } else {
        key += char;
      }
    }
    // The closing quote must be the last character: nothing may follow the String.
    if (i !== text.length - 1) return undefined;
  }
  return KEY_CHARS.test(key) ? key : undefined;
}
