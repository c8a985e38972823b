// What "the same request" means for a key: method, request target and the parsed body in a
// canonical form, hashed (docs/guides/idempotency.md, "The same payload").

import { createHash } from 'node:crypto';

/**
 * Plain objects with their keys sorted, so two serializations of the same JSON give one text. The
 * copy has no prototype, so an own `__proto__` key (JSON.parse makes one) stays a key like any other.
 */
function sortKeys(_key: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || Buffer.isBuffer(value)) return value;
  const sorted = Object.create(null) as Record<string, unknown>;
  for (const key of Object.keys(value).sort()) sorted[key] = (value as Record<string, unknown>)[key];
  return sorted;
}

/**
 * The body as a string that is equal exactly when the payloads are the same: bytes (a raw parser's
 * Buffer) and text (a text parser's string) as they are, parsed JSON or form data canonically;
 * each form is tagged, so the text `{}` and the JSON `{}` differ. No body at all is empty.
 */
export function canonicalBody(body: unknown): string {
  if (body === undefined) return '';
  if (Buffer.isBuffer(body)) return 'bytes:' + body.toString('base64');
  if (typeof body === 'string') return 'text:' + body;
  try {
    return 'json:' + JSON.stringify(body, sortKeys);
  } catch {
    // Not from a body parser (a cycle, a BigInt): such a body never matches another one.
    return 'unhashable:' + Math.random();
  }
}

/** SHA-256 (hex) of a string. */
export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The fingerprint of a request: method, target (path and query) and the canonical body. */
export function fingerprint(method: string, target: string, body: unknown): string {
  return sha256(`${method}\n${target}\n${canonicalBody(body)}`);
}
