// decode(), decodeText() and unwrap(): a response of a known preset → a Decoded, or a clear refusal.

import { EnvelopeDecodeError, EnvelopeResponseError, misuse } from './errors';
import { hasLongDigitRun, parseJson, splitAt, splitFirstKey } from './json';
import { headerOf, retryAfterSeconds } from './headers';
import { READERS, type ReadContext, type Reader, type Spread, WISPANEL } from './presets';
import type { ClientPreset, Decoded, DecodeOptions, EnvelopeResponse, HeaderSource } from './types';

const OPTIONS: Record<keyof DecodeOptions, true> = { variant: true, requestIdHeader: true };

/** Statuses that never have a body; the server never wraps them. */
const NO_BODY = new Set([204, 205, 304]);

interface Entry {
  read: Reader & { spread?: Spread };
  /** The name errors show: the preset, or `wispanel:<variant>`. */
  name: string;
}

/** Made once: a decode allocates no lookup objects. */
const PRESETS: Record<string, Entry> = Object.create(null);
for (const [name, read] of Object.entries(READERS)) PRESETS[name] = { read, name };
const VARIANTS: Record<string, Entry> = Object.create(null);
for (const [variant, read] of Object.entries(WISPANEL)) VARIANTS[variant] = { read, name: variant === 'panel' ? 'wispanel' : `wispanel:${variant}` };

/** The reader for a preset and its options; throws a TypeError (with a code) on a mistake. */
export function readerOf(preset: ClientPreset, options: DecodeOptions | undefined): Entry {
  if (options !== undefined) {
    if (options === null || typeof options !== 'object') throw misuse('ERR_ENVELOPE_INVALID_OPTION', `the options must be an object, got ${JSON.stringify(options)}`);
    for (const key of Object.keys(options)) {
      // Own keys only: "constructor" or "toString" is not an option.
      if (!Object.prototype.hasOwnProperty.call(OPTIONS, key)) {
        throw misuse('ERR_ENVELOPE_UNKNOWN_OPTION', `unknown option "${key}"; known options are ${Object.keys(OPTIONS).join(', ')}`);
      }
    }
  }
  const header = options?.requestIdHeader;
  if (header !== undefined && (typeof header !== 'string' || !/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(header))) {
    throw misuse('ERR_ENVELOPE_INVALID_OPTION', `requestIdHeader must be a header name, got ${JSON.stringify(header)}`);
  }
  const variant = options?.variant;
  if (preset === 'wispanel') {
    const entry = VARIANTS[variant ?? 'panel'];
    if (!entry) {
      throw misuse('ERR_ENVELOPE_INVALID_OPTION', `wispanel: variant must be one of ${Object.keys(VARIANTS).join(', ')}; got ${JSON.stringify(variant)}`);
    }
    return entry;
  }
  const entry = PRESETS[preset];
  if (!entry) throw misuse('ERR_ENVELOPE_UNKNOWN_FORMAT', `unknown preset ${JSON.stringify(preset)}; use one of ${[...Object.keys(PRESETS), 'wispanel'].join(', ')}`);
  if (variant !== undefined) throw misuse('ERR_ENVELOPE_UNKNOWN_OPTION', `the option "variant" belongs to the wispanel preset only, not ${preset}`);
  return entry;
}

function checkStatus(status: unknown): void {
  if (typeof status !== 'number' || !Number.isInteger(status)) {
    throw misuse('ERR_ENVELOPE_INVALID_OPTION', `the response status must be an integer, got ${JSON.stringify(status)}`);
  }
}

function read(entry: Entry, status: number, headers: HeaderSource | undefined, body: unknown): Decoded {
  return body === undefined && NO_BODY.has(status)
    ? { ok: true, kind: 'success', status, data: undefined }
    : entry.read(body, { preset: entry.name, status, headers } satisfies ReadContext);
}

/** The header-borne parts: the request id where the body had none, and Retry-After on a failure. */
function withHeaders(result: Decoded, headers: HeaderSource | undefined, options: DecodeOptions | undefined): Decoded {
  if (result.requestId === undefined && headers !== undefined) {
    const name = options?.requestIdHeader;
    const id = name === undefined ? headerOf(headers, 'X-Request-Id', 'x-request-id') : headerOf(headers, name, name.toLowerCase());
    if (id !== undefined) result.requestId = id;
  }
  if (!result.ok && headers !== undefined) {
    const retryAfter = retryAfterSeconds(headerOf(headers, 'Retry-After', 'retry-after'));
    if (retryAfter !== undefined) result.retryAfter = retryAfter;
  }
  return result;
}

/**
 * A spreading envelope's text cut after its own key: the payload is parsed as the data object
 * itself, instead of being parsed inside the body and copied out of it key by key.
 */
function readSplit(entry: Entry, spread: Spread, status: number, text: string, headers: HeaderSource | undefined): Decoded | undefined {
  const open = spread.open as string;
  const prefixes = spread.prefixes as [string, unknown, number][];
  let parts: [string, string] | undefined;
  let value: unknown;
  let known = false;
  for (let i = 0; i < prefixes.length; i++) {
    const [prefix, ownValue, end] = prefixes[i];
    if (text.startsWith(prefix)) {
      parts = splitAt(text, open.length, end);
      value = ownValue;
      known = true;
      break;
    }
  }
  if (!known) parts = splitFirstKey(text, open);
  if (parts === undefined) return undefined;
  const exact = hasLongDigitRun(text);
  const data = parseJson(parts[1], exact) as Record<string, unknown>;
  // A repeated key: JSON.parse keeps the last one; the whole text is read the common way.
  if (Object.prototype.hasOwnProperty.call(data, spread.key)) return undefined;
  if (!known) value = parseJson(parts[0], exact);
  return spread.read(value, data, { preset: entry.name, status, headers });
}

/**
 * Reads a response whose body is already parsed. `ok` follows the envelope, not HTTP: a
 * `webServiceReturn` `wrsFailed` or a `statusOk` `"error"` on HTTP 200 is a failure. A body that does
 * not fit the preset throws `EnvelopeDecodeError`; it is never reported as a success.
 *
 * @example
 * const result = decode('universa', { status: 200, headers: res.headers, body: await res.json() });
 * if (!result.ok) console.error(result.code, result.message);
 */
export function decode<T = unknown>(preset: ClientPreset, response: EnvelopeResponse, options?: DecodeOptions): Decoded<T> {
  if (response === null || typeof response !== 'object') throw misuse('ERR_ENVELOPE_INVALID_OPTION', 'the response must be an object { status, headers?, body }');
  checkStatus(response.status);
  return withHeaders(read(readerOf(preset, options), response.status, response.headers, response.body), response.headers, options) as Decoded<T>;
}

/**
 * Parses and reads a response's text. Integers beyond 2^53 come back exact, as BigInt (Universa's
 * ids up to 2^63 − 1); text that is not JSON (a proxy's HTML error page) throws `EnvelopeDecodeError`.
 *
 * @example
 * const result = decodeText('universa', res.status, await res.text(), res.headers);
 */
export function decodeText<T = unknown>(
  preset: ClientPreset,
  status: number,
  text: string,
  headers?: HeaderSource,
  options?: DecodeOptions,
): Decoded<T> {
  const entry = readerOf(preset, options);
  checkStatus(status);
  let body: unknown;
  if (typeof text !== 'string') throw misuse('ERR_ENVELOPE_INVALID_OPTION', `the response text must be a string, got ${typeof text}`);
  if (text !== '') {
    try {
      const spread = entry.read.spread;
      const split = spread === undefined ? undefined : readSplit(entry, spread, status, text, headers);
      if (split !== undefined) return withHeaders(split, headers, options) as Decoded<T>;
      body = parseJson(text);
    } catch (cause) {
      if (cause instanceof EnvelopeDecodeError) throw cause;
      const start = text.slice(0, 40).replace(/\s+/g, ' ');
      throw new EnvelopeDecodeError(entry.name, status, `the body is not JSON: ${JSON.stringify(text.length > 40 ? `${start}…` : start)}`, { cause });
    }
  }
  return withHeaders(read(entry, status, headers, body), headers, options) as Decoded<T>;
}

/**
 * The data of a success, or an `EnvelopeResponseError` thrown for a failure.
 *
 * @example
 * const client = unwrap(await api('/clients/1'));
 */
export function unwrap<T>(decoded: Decoded<T>): T {
  if (decoded.ok) return decoded.data;
  throw new EnvelopeResponseError(decoded);
}
