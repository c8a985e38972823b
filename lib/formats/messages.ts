// The fixed texts of a preset, each one overridable through the preset's `messages` option.

import { EnvelopeError } from '../errors';
import { issuesText } from '../issues';
import type { ErrorOutcome } from '../outcome';
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


export interface Messages {
  genericMessage(status: number): string;
  /** The text an error outcome shows: the validation text around its issues, else its message. */
  text(outcome: ErrorOutcome): string;
}

/**
 * Resolves a preset's texts once, when the format is made. A preset without a validation text
 * (jsend writes a field map) leaves `validation` out of `defaults`, and the key is then unknown.
 */
export function resolveMessages(preset: string, defaults: PresetMessages, options: MessageOptions): Messages {
  const known = defaults.validation === undefined ? ['internalError'] : ['validation', 'internalError'];
  const given = options.messages ?? {};
  if (given === null || typeof given !== 'object') {
    throw new EnvelopeError('ERR_ENVELOPE_INVALID_OPTION', `${preset}: messages must be an object`);
  }
  for (const [key, value] of Object.entries(given)) {
    if (!known.includes(key)) {
      throw new EnvelopeError('ERR_ENVELOPE_UNKNOWN_OPTION', `${preset}: unknown message "${key}"; known messages are ${known.join(', ')}`);
    }
    if (value !== undefined && typeof value !== 'string') {
      throw new EnvelopeError('ERR_ENVELOPE_INVALID_OPTION', `${preset}: messages.${key} must be a string`);
    }
  }
  const validation = given.validation ?? defaults.validation ?? '{issues}';
  const internalError = given.internalError ?? defaults.internalError;
  const render = (issues: string): string => validation.split('{issues}').join(issues);
  return {
    genericMessage: (status) => (status >= 500 && internalError !== undefined ? internalError : statusTitle(status)),
    text: (outcome) => (outcome.validation ? render(issuesText(outcome)) : outcome.message),
  };
}
