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


/** Options a preset accepts, keyed by preset name. */
export interface PresetOptions {
  vbapi: MessageOptions;
  backendResponse: MessageOptions;
  wisphub: MessageOptions;
  wispanel: WispanelOptions;
  webServiceReturn: MessageOptions;
  statusOk: MessageOptions;
  universa: MessageOptions;
  jsend: MessageOptions;
  problem: ProblemOptions;
}

export type PresetName = keyof PresetOptions;

interface Preset {
  create(options: Record<string, unknown>): Format;
  /** The option keys this preset reads. */
  options: readonly string[];
}

const PRESETS: Readonly<Record<PresetName, Preset>> = {
  vbapi: { create: vbapi, options: ['messages'] },
  backendResponse: { create: backendResponse, options: ['messages'] },
  wisphub: { create: backendResponse, options: ['messages'] },
  wispanel: { create: wispanel, options: ['variant', 'messages'] },
  webServiceReturn: { create: webServiceReturn, options: ['messages'] },
  statusOk: { create: statusOk, options: ['messages'] },
  universa: { create: statusOk, options: ['messages'] },
  jsend: { create: jsend, options: ['messages'] },
  problem: { create: problem, options: ['messages', 'validationType'] },
};

export const PRESET_NAMES = Object.keys(PRESETS) as PresetName[];

export function isPresetName(value: unknown): value is PresetName {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(PRESETS, value);
}

/** The option keys a preset reads (empty for a custom format). */
export function presetOptionKeys(format: unknown): readonly string[] {
  return isPresetName(format) ? PRESETS[format].options : [];
}

/** A preset name (with its options) or a Format → the Format. Throws at once on a bad name. */
export function resolveFormat(format: unknown, options: Record<string, unknown> = {}): Format {
  if (isPresetName(format)) return PRESETS[format].create(options);
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
