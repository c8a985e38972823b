// Preset names → readers, for decoding by name: each preset's reader comes from its format module
// through lib/readers.ts (written from the registry); this file only looks them up, WisPanel's by variant.

import * as READERS from '../lib/readers';
import type { ReadingFormat } from '../lib/formats/read';
import type { Entry } from './decode';
import { misuse } from './errors';
import type { ClientPreset } from './types';

interface Variants {
  variants: Record<string, Entry>;
  /** The first variant the registry lists. */
  standard: string;
}

/** Made once: a decode by name allocates no lookup objects. */
const PRESETS = Object.create(null) as Record<string, Entry | Variants>;
for (const [name, format] of Object.entries(READERS as Record<string, ReadingFormat | Record<string, ReadingFormat>>)) {
  if (typeof format.read === 'function') PRESETS[name] = { read: format.read, name };
  else {
    const variants = Object.create(null) as Record<string, Entry>;
    for (const [variant, entry] of Object.entries(format as Record<string, ReadingFormat>))
      variants[variant] = { read: entry.read, name: entry.name };
    PRESETS[name] = { variants, standard: Object.keys(variants)[0] };
  }
}

/** The reader of a preset name and its `variant`; throws a TypeError (with a code) on a mistake. */
export function presetEntry(preset: ClientPreset, variant: string | undefined): Entry {
  const found = typeof preset === 'string' ? PRESETS[preset] : undefined;
  if (found === undefined) {
    throw misuse(
      'ERR_ENVELOPE_UNKNOWN_FORMAT',
      `unknown preset ${JSON.stringify(preset)}; use one of ${Object.keys(PRESETS).join(', ')}, or a format`,
    );
  }
  if (!('variants' in found)) {
    if (variant !== undefined)
      throw misuse('ERR_ENVELOPE_UNKNOWN_OPTION', `the option "variant" belongs to the wispanel preset only, not ${preset}`);
    return found;
  }
  const { variants, standard } = found;
  const entry = variants[variant ?? standard];
  if (!entry) {
    throw misuse(
      'ERR_ENVELOPE_INVALID_OPTION',
      `${preset}: variant must be one of ${Object.keys(variants).join(', ')}; got ${JSON.stringify(variant)}`,
    );
  }
  return entry;
}
