// What an error response tells the outside once it is written: the request's span (through
// lib/telemetry.ts) and the app's `onError` hook.

import { isExposed } from '../lib/error-outcome';
import { EnvelopeError } from '../lib/errors';
import type { ErrorOutcome } from '../lib/outcome';
import { statusTitle } from '../lib/status';
import { recordError } from '../lib/telemetry';
import { report as log } from './log';
import { currentResponder } from './state';
import type { EnvelopeRequest, EnvelopeResponse, Logger } from './types';

/** What `onError` receives, once per error response, after the response is written. */
export interface ErrorReport {
  /**
   * The outcome the body was rendered from. Its `status` is the error's; `res.statusCode` is the
   * one on the wire (200 for a soft error of `statusOk` or `webServiceReturn`).
   */
  outcome: ErrorOutcome;
  /**
   * The original value: what was thrown or forwarded, the body of `res.status(4xx).json(body)`, or
   * the package's own `EnvelopeError` when a body could not be rendered.
   */
  error: unknown;
  req: EnvelopeRequest;
  res: EnvelopeResponse;
  /** The request's id, as in `X-Request-Id` and the log line. */
  requestId: string;
  /** Whether the client saw the error's own message (and its issues). */
  exposed: boolean;
}

/**
 * Which error responses reach `onError`: `'5xx'` (5xx, and errors whose message was hidden),
 * `'errors'` (every error response but soft ones, answered with a 2xx), `'all'` (soft ones too), or
 * a predicate.
 */
export type ReportPolicy = '5xx' | 'errors' | 'all' | ((report: ErrorReport) => boolean);

/** Called once per error response after it is written; what it returns (a promise too) is not awaited. */
export type OnError = (report: ErrorReport) => unknown;

export interface ObserveOptions {
  /**
   * Called once per error response after it is written, with `{ outcome, error, req, res, exposed, requestId }`
   * (for an error tracker, a metric, a log line). A hook that throws or rejects is reported through
   * `log` and never changes the response. Defaults to none.
   * @example errorHandler({ onError: ({ error, requestId }) => Sentry.captureException(error, { tags: { request_id: requestId } }) })
   */
  onError?: OnError;
  /**
   * Which error responses reach `onError`: `'5xx'` (5xx and unexposed errors), `'errors'` (every
   * error response but soft ones), `'all'` (soft errors on a 2xx too), or a predicate over the
   * report. Defaults to `'5xx'`.
   * @example errorHandler({ onError, report: 'errors' })
   */
  report?: ReportPolicy;
}

export const OBSERVE_KEYS: Record<keyof ObserveOptions, true> = { onError: true, report: true };

/** An `onError` and its policy, resolved once when the middleware is made. */
export interface Reporter {
  onError: OnError;
  report: ReportPolicy;
}

const POLICIES = new Set<unknown>(['5xx', 'errors', 'all']);

/** Checks `onError` and `report`; `undefined` when there is no hook. */
export function resolveReporter(owner: string, { onError, report = '5xx' }: ObserveOptions): Reporter | undefined {
  if (onError !== undefined && typeof onError !== 'function') {
    throw new EnvelopeError('ERR_ENVELOPE_INVALID_OPTION', `${owner}: onError must be a function`);
  }
  if (!POLICIES.has(report) && typeof report !== 'function') {
    throw new EnvelopeError('ERR_ENVELOPE_INVALID_OPTION', `${owner}: report must be '5xx', 'errors', 'all' or a function`);
  }
  if (onError === undefined) {
    if (report !== '5xx') throw new EnvelopeError('ERR_ENVELOPE_INVALID_OPTION', `${owner}: report needs onError`);
    return undefined;
  }
  return { onError, report };
}

/** The value behind the error response about to be written, and the hook that hears of it. */
interface Noted {
  error: unknown;
  /** A `res.status(4xx).json(body)` body that is not an Error: what the handler chose to show. */
  shown: boolean;
  reporter: Reporter | undefined;
}

const noted = new WeakMap<object, Noted>();

/**
 * Remembers the original error of the error response about to be written, and whose `onError`
 * hears of it (errorHandler() and envelope() each pass the one that serves the response).
 */
export function noteError(res: EnvelopeResponse, error: unknown, reporter: Reporter | undefined, shown = false): void {
  noted.set(res, { error, shown, reporter });
}

function issueCount(outcome: ErrorOutcome): number {
  return (outcome.details?.length ?? 0) + (outcome.moreIssues ?? 0);
}

function wanted(policy: ReportPolicy, report: ErrorReport, soft: boolean): boolean {
  if (policy === 'all') return true;
  if (soft) return typeof policy === 'function' && policy(report) === true;
  if (policy === 'errors') return true;
  if (policy === '5xx') return report.outcome.status >= 500 || !report.exposed;
  return policy(report) === true;
}

function hookFailed(logger: Logger | false, req: EnvelopeRequest, requestId: string, status: number, cause: unknown): void {
  log(
    logger,
    req,
    requestId,
    status,
    new EnvelopeError('ERR_ENVELOPE_HOOK_FAILED', 'onError() failed; the response had already been sent', { cause }),
  );
}

function callHook(reporter: Reporter, report: ErrorReport, soft: boolean, logger: Logger | false, requestId: string, status: number): void {
  const { req } = report;
  try {
    if (!wanted(reporter.report, report, soft)) return;
    const result = reporter.onError(report) as { then?: unknown } | null | undefined;
    if (result !== null && result !== undefined && typeof result.then === 'function') {
      (result as PromiseLike<unknown>).then(undefined, (cause: unknown) => hookFailed(logger, req, requestId, status, cause));
    }
  } catch (cause) {
    hookFailed(logger, req, requestId, status, cause);
  }
}

/**
 * Tells the span and the `onError` hook about the error response just written from `outcome`, with
 * wire status `status`. Never throws.
 */
export function errorWritten(
  res: EnvelopeResponse,
  outcome: ErrorOutcome,
  status: number,
  requestId: string,
  logger: Logger | false,
): void {
  const note = noted.get(res);
  if (note !== undefined) noted.delete(res);
  const error = note?.error;
  let exposed: boolean;
  try {
    exposed = outcome.validation || note?.shown === true || isExposed(error, outcome.status);
  } catch {
    exposed = false; // an `expose` getter that throws
  }
  observed(res, outcome, status, error, exposed, note, requestId, logger);
}

/** The same, for the 500 respond() answered because a body could not be rendered or sent (`error`). */
export function failureWritten(res: EnvelopeResponse, error: unknown, requestId: string, logger: Logger | false): void {
  const note = noted.get(res);
  if (note !== undefined) noted.delete(res);
  const outcome: ErrorOutcome = {
    kind: 'error',
    status: 500,
    message: statusTitle(500),
    hard: true,
    validation: false,
    packageText: 'generic',
  };
  observed(res, outcome, 500, error, false, note, requestId, logger);
}

function observed(
  res: EnvelopeResponse,
  outcome: ErrorOutcome,
  status: number,
  error: unknown,
  exposed: boolean,
  note: Noted | undefined,
  requestId: string,
  logger: Logger | false,
): void {
  recordError({
    status,
    code: outcome.code,
    exposed,
    validation: outcome.validation,
    issues: issueCount(outcome),
    requestId,
    error,
    message: outcome.message,
  });
  const reporter = note !== undefined ? note.reporter : currentResponder(res)?.reporter;
  if (reporter !== undefined)
    callHook(reporter, { outcome, error, req: res.req, res, exposed, requestId }, status < 400, logger, requestId, status);
}
