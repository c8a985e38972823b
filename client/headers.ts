// Response headers as the client reads them: from a fetch `Headers` or a plain record, and the
// waits a server asks for (`Retry-After`, `RateLimit` / `RateLimit-Reset`).

import type { HeaderSource } from './types';

/**
 * One header, whatever the letter case; the first of a list. `lower` is `name` in lower case, given
 * by the caller so that a lookup allocates nothing (Node's records are keyed in lower case).
 */
export function headerOf(headers: HeaderSource | undefined, name: string, lower: string): string | undefined {
  if (headers === undefined || headers === null) return undefined;
  if (typeof headers.get === 'function') return (headers as { get(name: string): string | null }).get(name) ?? undefined;
  const record = headers as Record<string, string | string[] | number | undefined>;
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

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAY = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)';
const LONG_DAY = '(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)';
const MONTH = '(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)';
const TIME = '(\\d{2}):(\\d{2}):(\\d{2})';
/** RFC 9110 §5.6.7: IMF-fixdate, `Sun, 06 Nov 1994 08:49:37 GMT`. */
const IMF_FIXDATE = new RegExp(`^${DAY}, (\\d{2}) ${MONTH} (\\d{4}) ${TIME} GMT$`);
/** The obsolete RFC 850 form, `Sunday, 06-Nov-94 08:49:37 GMT`. */
const RFC_850 = new RegExp(`^${LONG_DAY}, (\\d{2})-${MONTH}-(\\d{2}) ${TIME} GMT$`);
/** The obsolete asctime form, `Sun Nov  6 08:49:37 1994`: no zone written, read as GMT. */
const ASCTIME = new RegExp(`^${DAY} ${MONTH} ([ \\d]\\d) ${TIME} (\\d{4})$`);

function utc(year: number, month: string, day: number, hour: number, minute: number, second: number): number | undefined {
  const index = MONTHS.indexOf(month.toLowerCase());
  if (day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return undefined;
  const at = Date.UTC(year, index, day, hour, minute, Math.min(second, 59));
  // 31 Feb and the like roll over into the next month: not a date.
  return new Date(at).getUTCDate() === day ? at : undefined;
}

/**
 * An HTTP-date in any of RFC 9110's three forms, as milliseconds since the epoch, every form read as
 * GMT. A two-digit RFC 850 year more than 50 years ahead of `now` is the most recent past one.
 */
export function parseHttpDate(value: string, now: number): number | undefined {
  let match = IMF_FIXDATE.exec(value);
  if (match) return utc(Number(match[3]), match[2], Number(match[1]), Number(match[4]), Number(match[5]), Number(match[6]));
  match = ASCTIME.exec(value);
  if (match) return utc(Number(match[6]), match[1], Number(match[2].trim()), Number(match[3]), Number(match[4]), Number(match[5]));
  match = RFC_850.exec(value);
  if (!match) return undefined;
  const thisYear = new Date(now).getUTCFullYear();
  let year = thisYear - (thisYear % 100) + Number(match[3]);
  if (year > thisYear + 50) year -= 100;
  return utc(year, match[2], Number(match[1]), Number(match[4]), Number(match[5]), Number(match[6]));
}

/**
 * `Retry-After` as milliseconds to wait from `now` (RFC 9110 §10.2.3): delay-seconds (digits only,
 * so `1.5` and `-1` are invalid, not 0) or an HTTP-date (at least 0). Anything else: `undefined`.
 */
export function retryAfterMs(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = parseHttpDate(trimmed, now);
  return at === undefined ? undefined : Math.max(0, at - now);
}

/** `Retry-After` as whole seconds: delay-seconds as given, an HTTP date as the seconds left until it (at least 0). */
export function retryAfterSeconds(value: string | undefined): number | undefined {
  const ms = retryAfterMs(value, Date.now());
  return ms === undefined ? undefined : Math.ceil(ms / 1000);
}

/**
 * The seconds until a rate limit resets, from the IETF headers: `RateLimit-Reset: 30` (draft 6),
 * `RateLimit: limit=10, remaining=0, reset=30` (draft 7) or `RateLimit: "default";r=0;t=30`
 * (draft 8 and later), as milliseconds. The largest when several say so.
 */
export function rateLimitResetMs(headers: HeaderSource | undefined): number | undefined {
  let seconds: number | undefined;
  const reset = headerOf(headers, 'RateLimit-Reset', 'ratelimit-reset')?.trim();
  if (reset !== undefined && /^\d+$/.test(reset)) seconds = Number(reset);
  const combined = headerOf(headers, 'RateLimit', 'ratelimit');
  if (combined !== undefined) {
    for (const match of combined.matchAll(/(?:^|[;,\s])(?:t|reset)=(\d+)(?=$|[;,\s])/g)) {
      seconds = Math.max(seconds ?? 0, Number(match[1]));
    }
  }
  return seconds === undefined ? undefined : seconds * 1000;
}
