// Option checking shared by every factory: typos fail loudly, `undefined` means "not given".

import { EnvelopeError } from './errors';

/** Throws `ERR_ENVELOPE_UNKNOWN_OPTION` for a key that is not in `known`. */
export function checkOptions(owner: string, options: object, known: readonly string[]): void {
  if (options === null || typeof options !== 'object') {
    throw new EnvelopeError('ERR_ENVELOPE_INVALID_OPTION', `${owner}: options must be an object`);
  }
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new EnvelopeError(
        'ERR_ENVELOPE_UNKNOWN_OPTION',
        `${owner}: unknown option "${key}"; known options are ${known.join(', ') || '(none)'}`,
      );
    }
  }
}

/** A copy without the keys whose value is `undefined`, so spreading it over defaults keeps them. */
export function omitUndefined<T extends object>(options: T): Partial<T> {
  const out: Partial<T> = {};
  for (const key of Object.keys(options) as (keyof T)[]) {
    if (options[key] !== undefined) out[key] = options[key];
  }
  return out;
}

/** The `debug` option: a boolean, or, when omitted, whether NODE_ENV is `development` right now. */
export function resolveDebug(owner: string, debug: unknown): boolean {
  if (debug === undefined) return process.env.NODE_ENV === 'development';
  if (typeof debug === 'boolean') return debug;
  throw new EnvelopeError('ERR_ENVELOPE_INVALID_OPTION', `${owner}: debug must be a boolean`);
}
