// W3C Trace Context: the trace id of a `traceparent` header, or nothing when the header is invalid.

const HEX_LC = /^[0-9a-f]+$/;
const ALL_ZEROS = /^0+$/;
/** version 00: `00-<32 hex>-<16 hex>-<2 hex>`, exactly 55 characters. */
const V00_LENGTH = 55;

function isHex(text: string, length: number): boolean {
  return text.length === length && HEX_LC.test(text);
}

/**
 * The trace id of a valid `traceparent` value, else `undefined` (the header is then ignored, as the
 * spec asks of a receiver). Follows W3C Trace Context Level 1 §3.2 and §4.3:
 * - lower-case hex only (upper case is invalid, not folded);
 * - version `ff` is invalid; `00` must be exactly 55 characters;
 * - a higher version is parsed with the `00` layout, and may go on only after a `-` at index 55;
 * - an all-zero trace id or parent id is invalid.
 * A header sent twice reaches Node joined with `", "`, which no rule above accepts: it is ignored,
 * as the spec's test suite expects.
 */
export function traceIdOf(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length < V00_LENGTH) return undefined;
  const version = value.slice(0, 2);
  if (!isHex(version, 2) || version === 'ff') return undefined;
  if (version === '00' ? value.length !== V00_LENGTH : value.length > V00_LENGTH && value[V00_LENGTH] !== '-') {
    return undefined;
  }
  if (value[2] !== '-' || value[35] !== '-' || value[52] !== '-') return undefined;
  const traceId = value.slice(3, 35);
  const parentId = value.slice(36, 52);
  if (!isHex(traceId, 32) || !isHex(parentId, 16) || !isHex(value.slice(53, 55), 2)) return undefined;
  if (ALL_ZEROS.test(traceId) || ALL_ZEROS.test(parentId)) return undefined;
  return traceId;
}
