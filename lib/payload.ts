// Helpers for formats that put the payload's keys beside their own (`{ status: "OK", ...data }`).

import { EnvelopeError } from './errors';
import { unserializable } from './serialize';

/** An object literal (or `Object.create(null)`) without its own `toJSON`: its keys are its content. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return (proto === Object.prototype || proto === null) && typeof (value as { toJSON?: unknown }).toJSON !== 'function';
}

function put(target: Record<string, unknown>, key: string, value: unknown): void {
  // `__proto__` from JSON.parse is an ordinary key; plain assignment would set the prototype instead.
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/**
 * The success body of a spreading format: the envelope's keys, then the payload's. A plain-object
 * payload spreads; any other value goes under `slotKey` (see slot()); `undefined` adds nothing. A payload key that
 * the envelope owns is a programming error (`ERR_ENVELOPE_RESERVED_KEY`), never silently dropped.
 */
export function spreadPayload(envelope: Record<string, unknown>, data: unknown, slotKey: string, format: string): Record<string, unknown> {
  if (data === undefined) return envelope;
  if (!isPlainObject(data)) {
    envelope[slotKey] = slot(data, slotKey);
    return envelope;
  }
  for (const key of Object.keys(data)) {
    if (Object.prototype.hasOwnProperty.call(envelope, key)) {
      throw new EnvelopeError('ERR_ENVELOPE_RESERVED_KEY', `The ${format} envelope owns the key "${key}"; a success payload cannot use it`);
    }
    put(envelope, key, data[key]);
  }
  return envelope;
}

/** An error body's extra keys (from an exposed `err.data`); on a clash the envelope's keys win. */
export function appendPayload(envelope: Record<string, unknown>, data: unknown): Record<string, unknown> {
  if (!isPlainObject(data)) return envelope;
  for (const key of Object.keys(data)) {
    if (!Object.prototype.hasOwnProperty.call(envelope, key)) put(envelope, key, data[key]);
  }
  return envelope;
}

/**
 * A slot's value (`data` in `{ data, … }`). JSON drops what it cannot write (`undefined`, a function, a
 * Symbol, a `toJSON()` that returns `undefined`) together with its key, and the body would then miss
 * a key its schema requires: such a payload is `null`. A `toJSON()` is called here, once, with the
 * slot's key, as JSON.stringify would.
 */
export function slot(data: unknown, key = 'data'): unknown {
  if (data === undefined || typeof data === 'function' || typeof data === 'symbol') return null;
  if (data !== null && typeof data === 'object' && typeof (data as { toJSON?: unknown }).toJSON === 'function') {
    let json: unknown;
    try {
      json = (data as { toJSON(key: string): unknown }).toJSON(key);
    } catch (error) {
      throw unserializable(error);
    }
    return json === undefined || typeof json === 'function' || typeof json === 'symbol' ? null : json;
  }
  return data;
}
