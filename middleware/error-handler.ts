// errorHandler(): every thrown or forwarded error → the request's envelope.

import { type IssueFormatter, errorHeaders, toErrorOutcome } from '../lib/error-outcome';
import type { Format } from '../lib/outcome';
import { EnvelopeError } from '../lib/errors';
import { checkOptions, resolveDebug } from '../lib/options';
import { type PresetName, type PresetOptions, presetOptionKeys, resolveFormat } from '../lib/registry';
import { type LanguageOptions, requestLocale, resolveLanguage } from './language';
import { report, resolveLogger } from './log';
import { ensureRequestId, respond } from './respond';
import { responders } from './state';
import type { EnvelopeRequest, EnvelopeResponse, Logger, NextFunction } from './types';

export interface ErrorHandlerOptions<P extends PresetName = PresetName> extends LanguageOptions {
  /**
   * The format for requests that no envelope() has claimed. Defaults to `'problem'` (RFC 9457).
   * @example app.use(errorHandler({ format: 'jsend' }))
   */
  format?: P | Format;
  /**
   * Where 5xx errors are reported (with the request id); `false` turns it off.
   * Defaults to one line on stderr with the request id.
   * @example errorHandler({ log: ({ requestId, error }) => pino.error({ requestId, err: error }) })
   */
  log?: Logger | false;
  /**
   * Adds the stack where the format has a natural slot (vbapi's `debug`, problem's `stack`).
   * Defaults to `process.env.NODE_ENV === 'development'`, read when the handler is made.
   * @example errorHandler({ debug: true })
   */
  debug?: boolean;
  /**
   * Rewords each validation issue before it is rendered: receives the value-free issue the adapter
   * made, the library it came from, the original error and (with `locales`) the request's
   * language; returns the issue to show.
   * Defaults to showing the issues as they are.
   * @example errorHandler({ formatIssue: (issue) => ({ ...issue, message: t(issue.message) }) })
   */
  formatIssue?: IssueFormatter;
}

const OWN_OPTIONS = ['format', 'log', 'debug', 'formatIssue', 'locales', 'translate'] as const;

/** What the client sent, as Express and its parsers leave it on the request. */
function submitted(req: EnvelopeRequest): unknown[] {
  const { body, query, params, cookies } = req as EnvelopeRequest & Record<string, unknown>;
  return [body, query, params, cookies];
}

/**
 * The last middleware of the app: renders any error in the format of the request's envelope(),
 * else `options.format`, else problem details. If the response has already started it hands the
 * error to Express (`next(err)`), which closes the connection.
 * @example app.use(errorHandler());
 */
export function errorHandler<P extends PresetName>(
  options: ErrorHandlerOptions<P> & Partial<PresetOptions[P]> = {},
): ErrorHandlerMiddleware {
  checkOptions('errorHandler()', options, [...OWN_OPTIONS, ...presetOptionKeys(options.format ?? 'problem')]);
  const { format: formatOption = 'problem', log: logOption, debug: debugOption, formatIssue, locales, translate, ...presetOptions } = options;
  // The envelope's languages win for its responses; these serve the rest.
  const ownLanguage = resolveLanguage('errorHandler()', { locales, translate });
  if (formatIssue !== undefined && typeof formatIssue !== 'function') {
    throw new EnvelopeError('ERR_ENVELOPE_INVALID_OPTION', 'errorHandler(): formatIssue must be a function');
  }
  const fallback = resolveFormat(formatOption, ownLanguage ? { ...presetOptions, locales: ownLanguage.locales } : presetOptions);
  const log = resolveLogger('errorHandler()', logOption);
  const debug = resolveDebug('errorHandler()', debugOption);

  return function errorHandler(err: unknown, req: EnvelopeRequest, res: EnvelopeResponse, next: NextFunction): void {
    const responder = responders.get(res);
    const format = responder?.format ?? fallback;
    const language = responder?.language ?? ownLanguage;
    const locale = language && formatIssue ? requestLocale(req, language) : undefined;
    const outcome = toErrorOutcome(err, { genericMessage: format.genericMessage, debug, formatIssue, submitted: () => submitted(req), locale });
    const id = ensureRequestId(req, res, false);
    if (outcome.status >= 500) report(log, req, id, outcome.status, err);
    if (res.headersSent) {
      next(err);
      return;
    }
    const headers = errorHeaders(err);
    if (headers) {
      for (const name of Object.keys(headers)) {
        try {
          res.setHeader(name, headers[name]);
        } catch {
          // A header name or value Node refuses (from a careless error) must not cost the response.
        }
      }
    }
    respond(res, format, outcome, log, debug, id, language);
  };
}

export type ErrorHandlerMiddleware = (
  err: unknown,
  req: EnvelopeRequest,
  res: EnvelopeResponse,
  next: NextFunction,
) => void;
