// The fixed texts of a preset, in the request's language, each one overridable through the preset's
// `messages` option (for every language, or per language).

import { type Catalog, catalogFor, titleIn } from '../catalogs';
import { EnvelopeError } from '../errors';
import { issuesText } from '../issues';
import type { ErrorOutcome } from '../outcome';

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
  /**
   * Overrides of the preset's fixed texts: for every language, and, keyed by one of `locales`, for
   * one language (which wins over the shared ones). Defaults to the preset's own texts.
   * @example { messages: { validation: 'Invalid: {issues}', es: { validation: 'Datos inválidos: {issues}' } } }
   */
  messages?: PresetMessages & { [locale: string]: PresetMessages | string | undefined };
  /**
   * The languages `messages` may be keyed by; `envelope()` and `errorHandler()` pass their own
   * `locales` here. Defaults to none.
   * @example vbapi({ locales: ['en', 'es'], messages: { es: { validation: 'Datos inválidos: {issues}' } } })
   */
  locales?: readonly string[];
}

export interface Messages {
  /** The message shown for an error whose own message is not exposed. */
  genericMessage(this: void, status: number, locale?: string): string;
  /** The status title (vbapi's and problem's `title`). */
  title(status: number, locale?: string): string;
  /**
   * The outcome with the package text it holds (`packageText`) written in `locale`: its message,
   * and the issue that repeats it (a malformed body's). Unchanged without a locale.
   */
  localize(outcome: ErrorOutcome, locale: string | undefined): ErrorOutcome;
  /** The text an error outcome shows: the validation text around its issues, else its message. */
  text(outcome: ErrorOutcome, locale?: string): string;
}

const MESSAGE_KEYS = ['validation', 'internalError'] as const;

function checkTexts(
  preset: string,
  where: string,
  given: Record<string, unknown>,
  known: readonly string[],
  locales: readonly string[],
): void {
  for (const [key, value] of Object.entries(given)) {
    if (locales.includes(key) && where === 'messages') {
      if (value === undefined) continue;
      if (value === null || typeof value !== 'object') {
        throw new EnvelopeError('ERR_ENVELOPE_INVALID_OPTION', `${preset}: messages.${key} must be an object of texts`);
      }
      checkTexts(preset, `messages.${key}`, value as Record<string, unknown>, known, []);
      continue;
    }
    if (!known.includes(key)) {
      const languages = locales.length > 0 ? `; languages (from locales) are ${locales.join(', ')}` : '';
      throw new EnvelopeError(
        'ERR_ENVELOPE_UNKNOWN_OPTION',
        `${preset}: unknown message "${key}"; known messages are ${known.join(', ')}${languages}`,
      );
    }
    if (value !== undefined && typeof value !== 'string') {
      throw new EnvelopeError('ERR_ENVELOPE_INVALID_OPTION', `${preset}: ${where}.${key} must be a string`);
    }
  }
}

/**
 * Resolves a preset's texts once, when the format is made. `defaults` picks the preset's texts
 * from a language's catalog; a preset without a validation text (jsend writes a field map) leaves
 * `validation` out, and the key is then unknown. `fixedLocale` pins the catalog whatever the
 * request's language (WispHub answers in Spanish).
 */
export function resolveMessages(
  preset: string,
  defaults: (catalog: Catalog) => PresetMessages,
  options: MessageOptions,
  fixedLocale?: string,
): Messages {
  const english = defaults(catalogFor(undefined));
  const known = english.validation === undefined ? ['internalError'] : [...MESSAGE_KEYS];
  const locales = options.locales ?? [];
  const given = (options.messages ?? {}) as Record<string, unknown>;
  if (given === null || typeof given !== 'object') {
    throw new EnvelopeError('ERR_ENVELOPE_INVALID_OPTION', `${preset}: messages must be an object`);
  }
  checkTexts(preset, 'messages', given, known, locales);
  const shared = given as PresetMessages;
  const perLocale = new Map<string, PresetMessages>();
  for (const locale of locales) {
    const own = given[locale] as PresetMessages | undefined;
    if (own !== undefined) perLocale.set(locale, own);
  }

  /** The preset's texts for a locale: its own `messages`, else the shared ones, else the catalog's. */
  const textsFor = (locale: string | undefined): [PresetMessages, Catalog] => {
    // Without a language, exactly the texts every preset wrote before languages existed.
    if (locale === undefined) return [{ ...english, ...withoutUndefined(shared) }, catalogFor(undefined)];
    const catalog = catalogFor(fixedLocale ?? locale);
    return [{ ...defaults(catalog), ...withoutUndefined(shared), ...withoutUndefined(perLocale.get(locale)) }, catalog];
  };
  const base = textsFor(undefined);
  // Worked out once per configured language; any other locale (a custom caller's) each time.
  const cache = new Map<string, [PresetMessages, Catalog]>(locales.map((locale) => [locale, textsFor(locale)]));
  const resolved = (locale: string | undefined): [PresetMessages, Catalog] =>
    locale === undefined ? base : (cache.get(locale) ?? textsFor(locale));

  const title = (status: number, locale?: string): string => titleIn(resolved(locale)[1], status);
  const genericMessage = (status: number, locale?: string): string => {
    const internalError = resolved(locale)[0].internalError;
    return status >= 500 && internalError !== undefined ? internalError : title(status, locale);
  };
  return {
    genericMessage,
    title,
    localize(outcome, locale) {
      const key = outcome.packageText;
      if (locale === undefined || key === undefined) return outcome;
      // Only while the message is still the package's text (not reworded along the way).
      const english = key === 'generic' ? genericMessage(outcome.status) : catalogFor(undefined).texts[key];
      if (outcome.message !== english) return outcome;
      const message = key === 'generic' ? genericMessage(outcome.status, locale) : resolved(locale)[1].texts[key];
      if (message === english) return outcome;
      const localized: ErrorOutcome = { ...outcome, message };
      if (outcome.details) localized.details = outcome.details.map((issue) => (issue.message === english ? { ...issue, message } : issue));
      return localized;
    },
    text(outcome, locale) {
      if (!outcome.validation) return outcome.message;
      const template = resolved(locale)[0].validation ?? '{issues}';
      return template.split('{issues}').join(issuesText(outcome));
    },
  };
}

function withoutUndefined(texts: PresetMessages | undefined): PresetMessages {
  const out: PresetMessages = {};
  if (texts?.validation !== undefined) out.validation = texts.validation;
  if (texts?.internalError !== undefined) out.internalError = texts.internalError;
  return out;
}
