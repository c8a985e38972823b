// Preset names (and their aliases) → formats, resolved once when middleware is made.

import { EnvelopeError } from './errors';
import { backendResponse } from './formats/backend-response';
import { jsend } from './formats/jsend';
import { type ProblemOptions, problem } from './formats/problem';
import { statusOk } from './formats/status-ok';
import { vbapi } from './formats/vbapi';
import { webServiceReturn } from './formats/web-service-return';
import type { MessageOptions } from './formats/messages';
import { type WispanelOptions, wispanel } from './formats/wispanel';
import { type Format, isFormat } from './outcome';

/**
 * The option keys a preset reads, typed so that the list cannot drift from its options. `locales`
 * is not among them: envelope() and errorHandler() take it and hand it on.
 */
type OptionKeys<O> = Record<Exclude<keyof O, 'locales'>, true>;

interface Preset<O extends object> {
  create(options?: O): Format;
  options: OptionKeys<O>;
}

function preset<O extends object>(create: (options?: O) => Format, options: OptionKeys<O>): Preset<O> {
  return { create, options };
}

const MESSAGES: OptionKeys<MessageOptions> = { messages: true };

/** Every preset and alias, one line each: adding a preset is a format file, its test, and a line here. */
const PRESETS = {
  vbapi: preset(vbapi, MESSAGES),
  backendResponse: preset(backendResponse, MESSAGES),
  wisphub: preset(backendResponse, MESSAGES),
  wispanel: preset<WispanelOptions>(wispanel, { ...MESSAGES, variant: true }),
  webServiceReturn: preset(webServiceReturn, MESSAGES),
  statusOk: preset(statusOk, MESSAGES),
  universa: preset(statusOk, MESSAGES),
  jsend: preset(jsend, MESSAGES),
  problem: preset<ProblemOptions>(problem, { ...MESSAGES, validationType: true, traceId: true }),
};

type Presets = typeof PRESETS;

/** Options a preset accepts, keyed by preset name (each factory's own options type). */
export type PresetOptions = { [P in keyof Presets]: Presets[P] extends Preset<infer O> ? O : never };

export type PresetName = keyof Presets;

export const PRESET_NAMES = Object.keys(PRESETS) as PresetName[];

export function isPresetName(value: unknown): value is PresetName {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(PRESETS, value);
}

/** The option keys a preset reads (empty for a custom format). */
export function presetOptionKeys(format: unknown): readonly string[] {
  return isPresetName(format) ? Object.keys(PRESETS[format].options) : [];
}

/** A preset name (with its options) or a Format → the Format. Throws at once on a bad name. */
export function resolveFormat(format: unknown, options: Record<string, unknown> = {}): Format {
  if (isPresetName(format)) return (PRESETS[format] as Preset<object>).create(options);
  if (isFormat(format)) return format;
  if (typeof format === 'string') {
    throw new EnvelopeError(
      'ERR_ENVELOPE_UNKNOWN_FORMAT',
      `Unknown envelope format "${format}"; use one of ${PRESET_NAMES.join(', ')}, or a format from defineFormat()`,
    );
  }
  throw new EnvelopeError(
    'ERR_ENVELOPE_INVALID_FORMAT',
    'The format must be a preset name or a format made with defineFormat()',
  );
}
