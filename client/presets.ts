// Preset names → readers, for decoding by name: each preset's reading format comes from its module
// through lib/readers.ts (written from the registry); this file only looks them up, WisPanel's by variant.

import * as READERS from '../lib/readers';
import type { ReadingFormat } from '../lib/formats/read';
import type { Entry } from './decode';
import { misuse } from './errors';
import type { ClientPreset } from './types';

/** An own, enumerable key: a module namespace's `__esModule` is neither a preset nor a variant. */
const own = (table: object, key: unknown): boolean => typeof key === 'string' && Object.prototype.propertyIsEnumerable.call(table, key);

/** The reader of a preset name and its `variant`; throws a TypeError (with a code) on a mistake. */
export function presetEntry(preset: ClientPreset, variant: string | undefined): Entry {
  if (!own(READERS, preset)) {
    throw misuse(
      'ERR_ENVELOPE_UNKNOWN_FORMAT',
      `unknown preset ${JSON.stringify(preset)}; use one of ${Object.keys(READERS).join(', ')}, or a format`,
    );
  }
  const found = (READERS as Record<string, ReadingFormat | Record<string, ReadingFormat>>)[preset];
  if (typeof found.read === 'function') {
    if (variant !== undefined)
      throw misuse('ERR_ENVELOPE_UNKNOWN_OPTION', `the option "variant" belongs to the wispanel preset only, not ${preset}`);
    return found as ReadingFormat;
  }
  const variants = found as Record<string, ReadingFormat>;
  const names = Object.keys(variants);
  const chosen = variant ?? names[0];
  if (!own(variants, chosen)) {
    throw misuse('ERR_ENVELOPE_INVALID_OPTION', `${preset}: variant must be one of ${names.join(', ')}; got ${JSON.stringify(variant)}`);
  }
  return variants[chosen];
}
