// errorHandler(): every thrown or forwarded error → the request's envelope.

import { type IssueFormatter, errorHeaders, errorStatus, toErrorOutcome } from '../lib/error-outcome';
import type { Format } from '../lib/outcome';
import { EnvelopeError } from '../lib/errors';
import { checkOptions, resolveDebug } from '../lib/options';
import { type PresetName, type PresetOptions, presetOptionKeys, resolveFormat } from '../lib/registry';
import { type LanguageOptions, requestLocale, resolveLanguage } from '../response/language';
import { report, resolveLogger } from '../response/log';
import { OBSERVE_KEYS, type ObserveOptions, noteError, resolveReporter } from '../response/observe';
import { requestIdOf } from '../response/request-id';
import { respond } from '../response/write';
import { submitted } from '../response/submitted';
import { errorResponder } from '../response/state';
import type { EnvelopeRequest, EnvelopeResponse, Logger, NextFunction } from '../response/types';

export interface ErrorHandlerOptions<P extends PresetName = PresetName> extends LanguageOptions, ObserveOptions {
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

const KNOWN: Record<keyof ErrorHandlerOptions, true> = {
  format: true,
  log: true,
  debug: true,
  formatIssue: true,
  locales: true,
  translate: true,
  ...OBSERVE_KEYS,
};

/** Headers the package writes itself, which an error's `headers` never replace. */
const OWN_HEADERS = new Set(['content-type', 'content-length', 'x-content-type-options', 'x-request-id']);

/** Sets an error's `headers`, except the package's own: its types, its length, and the request id header. */
function setErrorHeaders(res: EnvelopeResponse, headers: Record<string, string | number | string[]>, requestId: string): void {
  for (const name of Object.keys(headers)) {
    // The id header may have any name (requestId({ header })): it is the one that holds the id.
    if (OWN_HEADERS.has(name.toLowerCase()) || res.getHeader(name) === requestId) continue;
    try {
      res.setHeader(name, headers[name]);
    } catch {
      // A header name or value Node refuses (from a careless error) must not cost the response.
    }
  }
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
  checkOptions('errorHandler()', options, [...Object.keys(KNOWN), ...presetOptionKeys(options.format ?? 'problem')]);
  const {
    format: formatOption = 'problem',
    log: logOption,
    debug: debugOption,
    formatIssue,
    locales,
    translate,
    onError,
    report: policy,
    ...presetOptions
  } = options;
  // The envelope's hook wins for its responses; this one serves the rest.
  const ownReporter = resolveReporter('errorHandler()', { onError, report: policy });
  // The envelope's languages win for its responses; these serve the rest.
  const ownLanguage = resolveLanguage('errorHandler()', { locales, translate });
  if (formatIssue !== undefined && typeof formatIssue !== 'function') {
    throw new EnvelopeError('ERR_ENVELOPE_INVALID_OPTION', 'errorHandler(): formatIssue must be a function');
  }
  const fallback = resolveFormat(formatOption, ownLanguage ? { ...presetOptions, locales: ownLanguage.locales } : presetOptions);
  const log = resolveLogger('errorHandler()', logOption);
  const debug = resolveDebug('errorHandler()', debugOption);

  return function errorHandler(err: unknown, req: EnvelopeRequest, res: EnvelopeResponse, next: NextFunction): void {
    const responder = errorResponder(res);
    const format = responder?.format ?? fallback;
    const language = responder?.language ?? ownLanguage;
    const id = requestIdOf(req, res);
    if (res.writableEnded) {
      // Too late for this response, and its socket may already serve the client's next request on
      // keep-alive: Express's next(err) would destroy it. The error is only logged.
      report(log, req, id, errorStatus(err) ?? 500, err);
      return;
    }
    const locale = language && formatIssue ? requestLocale(req, language) : undefined;
    const outcome = toErrorOutcome(err, {
      genericMessage: format.genericMessage,
      debug,
      formatIssue,
      submitted: () => submitted(req),
      locale,
    });
    if (outcome.status >= 500) report(log, req, id, outcome.status, err);
    if (res.headersSent) {
      // Started but not finished: Express closes the connection, so the client sees it was cut.
      next(err);
      return;
    }
    const headers = errorHeaders(err);
    if (headers) setErrorHeaders(res, headers, id);
    noteError(res, err, responder?.reporter ?? ownReporter);
    respond(res, outcome, { format, log, debug, language });
  };
}

export type ErrorHandlerMiddleware = (err: unknown, req: EnvelopeRequest, res: EnvelopeResponse, next: NextFunction) => void;
