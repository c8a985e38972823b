// The fixed texts of a preset, each one overridable through the preset's `messages` option.

import { EnvelopeError } from '../errors';
import { statusTitle } from '../status';

export interface PresetMessages {
  /**
   * The message of a validation failure; `{issues}` stands for `path: message; …`.
   * Defaults to the preset's own text (e.g. `'Validation failed: {issues}'`).
   * @example { validation: 'Datos inválidos: {issues}' }
   */
  validation?: string;
  /**
   * The message of an unexposed 5xx. Defaults to the status title (backendResponse: its Spanish text).
   * @example { internalError: 'Something went wrong on our side.' }
   */
  internalError?: string;
}

export interface MessageOptions {
  /** Overrides of the preset's fixed texts. */
  messages?: PresetMessages;
}

const KNOWN = ['validation', 'internalError'];

export interface Messages {
  validation(issues: string): string;
  genericMessage(status: number): string;
}

/** Resolves a preset's texts once, when the format is made. */
export function resolveMessages(preset: string, defaults: Required<Pick<PresetMessages, 'validation'>> & PresetMessages, options: MessageOptions): Messages {
  const given = options.messages ?? {};
  if (given === null || typeof given !== 'object') {
    throw new EnvelopeError('ERR_ENVELOPE_INVALID_OPTION', `${preset}: messages must be an object`);
  }
  for (const [key, value] of Object.entries(given)) {
    if (!KNOWN.includes(key)) {
      throw new EnvelopeError('ERR_ENVELOPE_UNKNOWN_OPTION', `${preset}: unknown message "${key}"; known messages are ${KNOWN.join(', ')}`);
    }
    if (value !== undefined && typeof value !== 'string') {
      throw new EnvelopeError('ERR_ENVELOPE_INVALID_OPTION', `${preset}: messages.${key} must be a string`);
    }
  }
  const validation = given.validation ?? defaults.validation;
  const internalError = given.internalError ?? defaults.internalError;
  return {
    validation: (issues) => validation.split('{issues}').join(issues),
    genericMessage: (status) => (status >= 500 && internalError !== undefined ? internalError : statusTitle(status)),
  };
}
