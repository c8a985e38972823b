// The request's language: which of `locales` it is, the `translate` hook, and the headers that say so.

import { negotiateLanguage } from '../lib/accept-language';
import { EnvelopeError } from '../lib/errors';
import type { ErrorOutcome } from '../lib/outcome';
import { appendVary } from '../lib/vary';
import type { EnvelopeRequest, EnvelopeResponse } from './types';

/**
 * Rewords an error outcome in the request's language, for the application's own messages. Returns
 * the outcome to render, a string (the new message), or `undefined` to keep the outcome as it is.
 * The package's own texts (`outcome.packageText`) are still in English here; left alone, the format
 * writes them in `locale`.
 */
export type Translate = (
  outcome: ErrorOutcome,
  context: { locale: string; req: EnvelopeRequest },
) => ErrorOutcome | string | undefined;

export interface LanguageOptions {
  /**
   * The languages the client may get, the first being the default (e.g. `['en', 'es', 'pt']`). The
   * request's language is `req.language` (i18next-http-middleware) when it is one of them, else the
   * best `Accept-Language` match, else the first. Error responses then carry `Content-Language`
   * and `Vary: Accept-Language`. Defaults to none: every preset keeps its own texts byte for byte.
   * @example envelope('vbapi', { locales: ['en', 'es', 'pt'] })
   */
  locales?: readonly string[];
  /**
   * Rewords an error in the request's language (needs `locales`). Returns the outcome to render, a
   * new message, or `undefined` to keep it. A hook that throws leaves the outcome as it was.
   * Defaults to none.
   * @example envelope('vbapi', { locales: ['en', 'es'], translate: (outcome, { locale }) => t(outcome.code, locale) })
   */
  translate?: Translate;
}

export interface Language {
  locales: readonly string[];
  translate?: Translate;
}

const LANGUAGE_TAG = /^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*$/;

/** Checks `locales` and `translate` once, when the middleware is made. */
export function resolveLanguage(owner: string, options: LanguageOptions): Language | undefined {
  const { locales, translate } = options;
  if (translate !== undefined && typeof translate !== 'function') {
    throw new EnvelopeError('ERR_ENVELOPE_INVALID_OPTION', `${owner}: translate must be a function`);
  }
  if (locales === undefined) {
    if (translate !== undefined) {
      throw new EnvelopeError('ERR_ENVELOPE_INVALID_OPTION', `${owner}: translate needs locales (the languages it may be asked for)`);
    }
    return undefined;
  }
  if (!Array.isArray(locales) || locales.length === 0) {
    throw new EnvelopeError('ERR_ENVELOPE_INVALID_OPTION', `${owner}: locales must be a non-empty array of language tags, e.g. ['en', 'es']`);
  }
  const seen = new Set<string>();
  for (const locale of locales) {
    if (typeof locale !== 'string' || !LANGUAGE_TAG.test(locale)) {
      throw new EnvelopeError('ERR_ENVELOPE_INVALID_OPTION', `${owner}: ${JSON.stringify(locale)} in locales is not a language tag`);
    }
    if (seen.has(locale.toLowerCase())) {
      throw new EnvelopeError('ERR_ENVELOPE_INVALID_OPTION', `${owner}: ${JSON.stringify(locale)} appears twice in locales`);
    }
    seen.add(locale.toLowerCase());
  }
  const language: Language = { locales: [...locales] };
  if (translate !== undefined) language.translate = translate;
  return language;
}

/** `req.language` when it is one of `locales`, else the best `Accept-Language` match, else the first. */
export function requestLocale(req: EnvelopeRequest, language: Language): string {
  const { locales } = language;
  const chosen = (req as EnvelopeRequest & { language?: unknown }).language;
  if (typeof chosen === 'string') {
    const lower = chosen.toLowerCase();
    const match = locales.find((locale) => locale.toLowerCase() === lower);
    if (match !== undefined) return match;
  }
  const header = req.headers['accept-language'];
  return (typeof header === 'string' ? negotiateLanguage(header, locales) : undefined) ?? locales[0];
}

/** The outcome after the app's `translate` hook; a hook that throws or returns nonsense changes nothing. */
function translated(outcome: ErrorOutcome, translate: Translate, locale: string, req: EnvelopeRequest): ErrorOutcome {
  try {
    const result = translate({ ...outcome }, { locale, req });
    if (typeof result === 'string') {
      // The message is the app's now, not a package text to write in the locale.
      const reworded: ErrorOutcome = { ...outcome, message: result };
      delete reworded.packageText;
      return reworded;
    }
    if (result !== null && typeof result === 'object' && result.kind === 'error' && typeof result.message === 'string') return result;
  } catch {
    // The response still goes out, with the text as it was.
  }
  return outcome;
}

/**
 * For an error response under `locales`: its language, the outcome after `translate`, and the
 * headers that say the text was chosen by language (`Vary` merged with what the app set).
 */
export function speak(res: EnvelopeResponse, language: Language, outcome: ErrorOutcome): [ErrorOutcome, string] {
  const req = res.req;
  const locale = requestLocale(req, language);
  const result = language.translate ? translated(outcome, language.translate, locale, req) : outcome;
  if (!res.headersSent) {
    res.setHeader('Content-Language', locale);
    res.setHeader('Vary', appendVary(res.getHeader('Vary'), 'Accept-Language'));
  }
  return [result, locale];
}
