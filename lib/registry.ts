// Preset names (and their aliases) → formats, resolved once when middleware is made, from the
// registry's entries (lib/presets.ts).

import { EnvelopeError } from './errors';
import { type Format, isFormat } from './outcome';
import type { Preset } from './preset';
import * as REGISTRY from './presets';

type Presets = typeof REGISTRY;

/** The registry's entries by name, on a table with no prototype (a name is looked up as it is). */
const PRESETS = /* @__PURE__ */ Object.assign(Object.create(null) as Record<string, Preset>, REGISTRY) as Presets;

/** Options a preset accepts, keyed by preset name (each factory's own options type). */
export type PresetOptions = { [P in keyof Presets]: Presets[P] extends Preset<infer O> ? O : never };

export type PresetName = keyof Presets;

/** The format a preset's factory makes, with the bodies its module declares. */
export type PresetFormat<P extends PresetName> = ReturnType<Presets[P]['create']>;

export const PRESET_NAMES = /* @__PURE__ */ Object.keys(PRESETS) as PresetName[];

export function isPresetName(value: unknown): value is PresetName {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(PRESETS, value);
}

/** The option keys a preset reads (empty for a custom format). */
export function presetOptionKeys(format: unknown): readonly string[] {
  return isPresetName(format) ? Object.keys((PRESETS[format] as Preset).options) : [];
}

/** A preset name (with its options) or a Format → the Format. Throws at once on a bad name. */
export function resolveFormat(format: unknown, options: Record<string, unknown> = {}): Format {
  if (isPresetName(format)) return (PRESETS[format] as Preset).create(options);
  if (isFormat(format)) return format;
  if (typeof format === 'string') {
    throw new EnvelopeError(
      'ERR_ENVELOPE_UNKNOWN_FORMAT',
      `Unknown envelope format "${format}"; use one of ${PRESET_NAMES.join(', ')}, or a format from defineFormat()`,
    );
  }
  throw new EnvelopeError('ERR_ENVELOPE_INVALID_FORMAT', 'The format must be a preset name or a format made with defineFormat()');
}
