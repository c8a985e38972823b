// The request's language: which of `locales` it is, the `translate` hook, and the headers that say so.

import { negotiateLanguage } from '../lib/accept-language';
import { EnvelopeError } from '../lib/errors';
import type { ErrorOutcome } from '../lib/outcome';
import { appendVary } from '../lib/vary';
import { report } from './log';
import type { EnvelopeRequest, EnvelopeResponse, Logger } from './types';

/**
 * Rewords an error outcome in the request's language, for the application's own messages. Returns
 * the outcome to render, a string (the new message), or `undefined` to keep the outcome as it is.
 * The package's own texts (`outcome.packageText`) are still in English here; left alone, the format
 * writes them in `locale`.
 */
export type Translate = (outcome: ErrorOutcome, context: { locale: string; req: EnvelopeRequest }) => ErrorOutcome | string | undefined;

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
    throw new EnvelopeError(
      'ERR_ENVELOPE_INVALID_OPTION',
      `${owner}: locales must be a non-empty array of language tags, e.g. ['en', 'es']`,
    );
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
  const language: Language = { locales: [...(locales as readonly string[])] };
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

/** The middleware whose hook's mistake was already logged: once each, not on every response. */
const reported = new WeakSet<Language>();

const optionalString = (value: unknown): boolean => value === undefined || typeof value === 'string';
const ABSOLUTE_URI = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$/;

/**
 * What is wrong with a hook's result as an outcome in place of `outcome`, or `undefined` when it is
 * one: an error outcome of the same status class (4xx stays 4xx, 5xx stays 5xx), every field of the
 * type it has in `ErrorOutcome`.
 */
function mistakeIn(result: Record<string, unknown>, outcome: ErrorOutcome): string | undefined {
  const { status } = result;
  if (result.kind !== 'error') return 'its kind is not "error"';
  if (typeof status !== 'number' || !Number.isInteger(status) || Math.floor(status / 100) !== Math.floor(outcome.status / 100)) {
    return `its status ${String(status)} is not a ${Math.floor(outcome.status / 100)}xx status, as the error's ${outcome.status} is`;
  }
  if (typeof result.message !== 'string') return 'its message is not a string';
  for (const key of ['code', 'action', 'actor', 'stack'] as const) if (!optionalString(result[key])) return `its ${key} is not a string`;
  if (typeof result.hard !== 'boolean' || typeof result.validation !== 'boolean') return 'its hard and validation flags are not booleans';
  if (!(result.type === undefined || (typeof result.type === 'string' && ABSOLUTE_URI.test(result.type))))
    return 'its type is not an absolute URI';
  const { details, moreIssues } = result;
  if (
    details !== undefined &&
    !(
      Array.isArray(details) &&
      details.every(
        (d: unknown) =>
          d !== null && typeof d === 'object' && typeof (d as Bag).path === 'string' && typeof (d as Bag).message === 'string',
      )
    )
  ) {
    return 'its details are not a list of { path, message } strings';
  }
  if (!(moreIssues === undefined || (typeof moreIssues === 'number' && Number.isInteger(moreIssues) && moreIssues >= 0)))
    return 'its moreIssues is not a count';
  return undefined;
}

type Bag = Record<string, unknown>;

/**
 * The outcome after the app's `translate` hook. A hook that throws or returns something else than a
 * string, `undefined` or a valid outcome for the same status class changes nothing; its mistake is
 * logged, once per middleware.
 */
function translated(
  outcome: ErrorOutcome,
  language: Language,
  translate: Translate,
  locale: string,
  res: EnvelopeResponse,
  log: Logger | false,
  requestId: string,
): ErrorOutcome {
  const req = res.req;
  let mistake: string;
  let cause: unknown;
  try {
    const result: unknown = translate({ ...outcome }, { locale, req });
    if (result === undefined) return outcome;
    if (typeof result === 'string') {
      // The message is the app's now, not a package text to write in the locale.
      const reworded: ErrorOutcome = { ...outcome, message: result };
      delete reworded.packageText;
      return reworded;
    }
    if (result !== null && typeof result === 'object') {
      // One read of each field: what is checked is what is rendered.
      const copy = { ...(result as Bag) };
      const wrong = mistakeIn(copy, outcome);
      if (wrong === undefined) return copy as unknown as ErrorOutcome;
      mistake = `returned an outcome that cannot replace the error: ${wrong}`;
    } else {
      mistake = `returned ${result === null ? 'null' : typeof result}; expected an outcome, a string or undefined`;
    }
  } catch (error) {
    mistake = 'threw';
    cause = error;
  }
  if (!reported.has(language)) {
    reported.add(language);
    const error = new Error(
      `translate ${mistake}; the error went out as it was (reported once)`,
      cause === undefined ? undefined : { cause },
    );
    report(log, req, requestId, outcome.status, error);
  }
  return outcome;
}

/**
 * For an error response under `locales`: its language, the outcome after `translate`, and the
 * headers that say the text was chosen by language (`Vary` merged with what the app set).
 */
export function speak(
  res: EnvelopeResponse,
  language: Language,
  outcome: ErrorOutcome,
  log: Logger | false,
  requestId: string,
): [ErrorOutcome, string] {
  const req = res.req;
  const locale = requestLocale(req, language);
  const result = language.translate ? translated(outcome, language, language.translate, locale, res, log, requestId) : outcome;
  if (!res.headersSent) {
    res.setHeader('Content-Language', locale);
    res.setHeader('Vary', appendVary(res.getHeader('Vary'), 'Accept-Language'));
  }
  return [result, locale];
}
