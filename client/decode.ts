// decode(), decodeText() and unwrap(): a response of a known preset or format → a Decoded, or a clear refusal.

import { EnvelopeDecodeError, EnvelopeResponseError, misuse } from './errors';
import { hasLongDigitRun, parseJson, splitAt, splitFirstKey } from './json';
import { headerOf, retryAfterSeconds } from './headers';
import { BodyMismatch, type ReadContext, type Reader, type SpreadReader } from '../lib/formats/read';
import type { ClientFormat, ClientPreset, Decoded, DecodeOptions, EnvelopeResponse, HeaderSource } from './types';

/** A reader with the name errors show: the preset or format, or `wispanel:<variant>`. */
export interface Entry {
  read: Reader & { spread?: SpreadReader['spread'] };
  name: string;
}

const OPTIONS: Record<keyof DecodeOptions, true> = { variant: true, requestIdHeader: true };

/** Statuses that never have a body; the server never wraps them. */
const NO_BODY = new Set([204, 205, 304]);

type PresetLookup = (preset: ClientPreset, variant: string | undefined) => Entry;

/**
 * How a preset name finds its reader: installed by the `express-envelope/client` entry, left out by
 * `express-envelope/client/core`, so a bundle that passes formats carries only the readers it names.
 */
let presetLookup: PresetLookup | undefined;

export function usePresetNames(lookup: PresetLookup): void {
  presetLookup = lookup;
}

/** The reader for a preset name or a format, and the options; throws a TypeError (with a code) on a mistake. */
export function readerOf(preset: ClientPreset | ClientFormat, options: DecodeOptions | undefined): Entry {
  if (options !== undefined) {
    if (options === null || typeof options !== 'object')
      throw misuse('ERR_ENVELOPE_INVALID_OPTION', `the options must be an object, got ${JSON.stringify(options)}`);
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
  if (preset !== null && typeof preset === 'object') return formatEntry(preset, options);
  if (presetLookup === undefined) {
    throw misuse(
      'ERR_ENVELOPE_UNKNOWN_FORMAT',
      `express-envelope/client/core reads formats, not preset names (got ${JSON.stringify(preset)}); import the preset's format, or use express-envelope/client`,
    );
  }
  return presetLookup(preset, options?.variant);
}

/** A format's entry, made on its first decode. */
const FORMATS = new WeakMap<object, Entry>();

/** The reader of a format (one made with `defineFormat()`, a preset's format, or a reading format). */
export function formatEntry(format: ClientFormat, options: DecodeOptions | undefined): Entry {
  let entry = FORMATS.get(format);
  if (entry === undefined) {
    if (typeof format.read !== 'function') {
      throw misuse(
        'ERR_ENVELOPE_INVALID_FORMAT',
        `format "${String(format.name)}" has no reader: give defineFormat() a read function or its keys`,
      );
    }
    entry = { read: format.read, name: typeof format.name === 'string' ? format.name : 'format' };
    FORMATS.set(format, entry);
  }
  if (options?.variant !== undefined)
    throw misuse('ERR_ENVELOPE_UNKNOWN_OPTION', 'the option "variant" goes with the wispanel preset name; a format is already one variant');
  return entry;
}

function checkStatus(status: unknown): void {
  if (typeof status !== 'number' || !Number.isInteger(status)) {
    throw misuse('ERR_ENVELOPE_INVALID_OPTION', `the response status must be an integer, got ${JSON.stringify(status)}`);
  }
}

function contextOf(status: number, headers: HeaderSource | undefined): ReadContext {
  return { status, header: (name) => headerOf(headers, name, name.toLowerCase()) };
}

/** A reader's refusal as the client's error. */
function refused(entry: Entry, status: number, cause: unknown): unknown {
  return cause instanceof BodyMismatch ? new EnvelopeDecodeError(entry.name, status, cause.reason) : cause;
}

function read(entry: Entry, status: number, headers: HeaderSource | undefined, body: unknown): Decoded {
  // Status 0 is no response at all (a network error, `Response.error()`, an opaque response).
  if (status < 100 || status > 599) {
    throw new EnvelopeDecodeError(
      entry.name,
      status,
      `HTTP status ${status} is no response to read (a network error or an opaque response)`,
    );
  }
  // However an empty body comes (no text, undefined, null, ''), these statuses have none.
  if (NO_BODY.has(status) && (body === undefined || body === null || body === ''))
    return { ok: true, kind: 'success', status, data: undefined };
  try {
    return entry.read(body, contextOf(status, headers));
  } catch (cause) {
    throw refused(entry, status, cause);
  }
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
function readSplit(
  entry: Entry,
  spread: SpreadReader['spread'],
  status: number,
  text: string,
  headers: HeaderSource | undefined,
): Decoded | undefined {
  const { open, prefixes } = spread;
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
  try {
    return spread.read(value, data, contextOf(status, headers));
  } catch (cause) {
    throw refused(entry, status, cause);
  }
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
export function decode<T = unknown>(preset: ClientPreset | ClientFormat, response: EnvelopeResponse, options?: DecodeOptions): Decoded<T> {
  if (response === null || typeof response !== 'object')
    throw misuse('ERR_ENVELOPE_INVALID_OPTION', 'the response must be an object { status, headers?, body }');
  checkStatus(response.status);
  return withHeaders(
    read(readerOf(preset, options), response.status, response.headers, response.body),
    response.headers,
    options,
  ) as Decoded<T>;
}

/**
 * Parses and reads a response's text. Integers beyond 2^53 come back exact, as BigInt (Universa's
 * ids up to 2^63 − 1); text that is not JSON (a proxy's HTML error page) throws `EnvelopeDecodeError`.
 *
 * @example
 * const result = decodeText('universa', res.status, await res.text(), res.headers);
 */
export function decodeText<T = unknown>(
  preset: ClientPreset | ClientFormat,
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
      const split = spread === undefined || status < 100 || status > 599 ? undefined : readSplit(entry, spread, status, text, headers);
      if (split !== undefined) return withHeaders(split, headers, options) as Decoded<T>;
      body = parseJson(text);
    } catch (cause) {
      if (cause instanceof EnvelopeDecodeError) throw cause;
      const start = text.slice(0, 40).replace(/\s+/g, ' ');
      throw new EnvelopeDecodeError(entry.name, status, `the body is not JSON: ${JSON.stringify(text.length > 40 ? `${start}…` : start)}`, {
        cause,
      });
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
