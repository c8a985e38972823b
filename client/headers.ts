// Response headers as the decoder reads them: from a fetch `Headers` or a plain record.

import type { HeaderSource } from './types';

/**
 * One header, whatever the letter case; the first of a list. `lower` is `name` in lower case, given
 * by the caller so that a lookup allocates nothing (Node's records are keyed in lower case).
 */
export function headerOf(headers: HeaderSource | undefined, name: string, lower: string): string | undefined {
  if (headers === undefined || headers === null) return undefined;
  if (typeof headers.get === 'function') return (headers as { get(name: string): string | null }).get(name) ?? undefined;
  const record = headers as Record<string, unknown>;
  let value = record[lower] ?? record[name];
  if (value === undefined) {
    for (const key in record) {
      if (key.length === lower.length && key.toLowerCase() === lower) {
        value = record[key];
        break;
      }
    }
  }
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first === null ? undefined : String(first);
}

/** `Retry-After` as seconds: delay-seconds as given, an HTTP date as the seconds left until it (at least 0). */
export function retryAfterSeconds(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}
