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

interface Preset<O extends object, F extends Format = Format> {
  create(options?: O): F;
  options: OptionKeys<O>;
}

/** A preset's factory and the option keys it reads. */
function preset<O extends object, F extends Format>(create: (options?: O) => F, options: OptionKeys<O>): Preset<O, F> {
  return { create, options };
}

const MESSAGES: OptionKeys<MessageOptions> = { messages: true };

/**
 * Every preset and alias, one line each: its factory and the option keys it reads. Its reader has
 * the same name in readers.ts, apart so that a client bundle takes readers without render code.
 */
const PRESETS = {
  vbapi: /* @__PURE__ */ preset(vbapi, MESSAGES),
  backendResponse: /* @__PURE__ */ preset(backendResponse, MESSAGES),
  wisphub: /* @__PURE__ */ preset(backendResponse, MESSAGES),
  wispanel: /* @__PURE__ */ preset<WispanelOptions, ReturnType<typeof wispanel>>(wispanel, { messages: true, variant: true }),
  webServiceReturn: /* @__PURE__ */ preset(webServiceReturn, MESSAGES),
  statusOk: /* @__PURE__ */ preset(statusOk, MESSAGES),
  universa: /* @__PURE__ */ preset(statusOk, MESSAGES),
  jsend: /* @__PURE__ */ preset(jsend, MESSAGES),
  problem: /* @__PURE__ */ preset<ProblemOptions, ReturnType<typeof problem>>(problem, {
    messages: true,
    validationType: true,
    traceId: true,
  }),
};

type Presets = typeof PRESETS;

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
  throw new EnvelopeError('ERR_ENVELOPE_INVALID_FORMAT', 'The format must be a preset name or a format made with defineFormat()');
}
