// Helpers for formats that put the payload's keys beside their own (`{ status: "OK", ...data }`).

import { EnvelopeError } from './errors';

/** An object literal (or `Object.create(null)`) without its own `toJSON`: its keys are its content. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return (proto === Object.prototype || proto === null) && typeof (value as { toJSON?: unknown }).toJSON !== 'function';
}

function put(target: Record<string, unknown>, key: string, value: unknown): void {
  // `__proto__` from JSON.parse is an ordinary key; plain assignment would set the prototype instead.
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/**
 * The success body of a spreading format: the envelope's keys, then the payload's. A plain-object
 * payload spreads; any other value goes under `slot`; `undefined` adds nothing. A payload key that
 * the envelope owns is a programming error (`ERR_ENVELOPE_RESERVED_KEY`), never silently dropped.
 */
export function spreadPayload(
  envelope: Record<string, unknown>,
  data: unknown,
  slot: string,
  format: string,
): Record<string, unknown> {
  if (data === undefined) return envelope;
  if (!isPlainObject(data)) {
    envelope[slot] = data;
    return envelope;
  }
  for (const key of Object.keys(data)) {
    if (Object.prototype.hasOwnProperty.call(envelope, key)) {
      throw new EnvelopeError(
        'ERR_ENVELOPE_RESERVED_KEY',
        `The ${format} envelope owns the key "${key}"; a success payload cannot use it`,
      );
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

/** A slot format's `data`: JSON has no `undefined`, so "no data" is `null`. */
export function slot(data: unknown): unknown {
  return data === undefined ? null : data;
}
