// checkResponses(): hands each enveloped body, as written on the wire, to a check of the app's own
// (a response validator); a body that fails becomes a logged 500 in the request's envelope.

import { Buffer } from 'node:buffer';
import { EnvelopeError } from '../lib/errors';
import { checkOptions } from '../lib/options';
import { resolveLogger } from '../response/log';
import { respondFailure } from '../response/write';
import { currentResponder } from '../response/state';
import type { EnvelopeRequest, EnvelopeResponse, Logger, NextFunction } from '../response/types';

/** A response as the client gets it. */
export interface WireResponse {
  status: number;
  /** The `Content-Type` without its parameters (`application/json`, `application/problem+json`). */
  mediaType: string;
  /** The parsed body. */
  body: unknown;
  /** The body's text, byte for byte. */
  text: string;
}

/**
 * Checks one response; throws (or returns a non-empty string, the problem) to refuse it. The
 * request is passed too, for the check to find its operation (express-openapi-validator's
 * `req.openapi`, the route).
 */
export type ResponseCheck = (response: WireResponse, req: EnvelopeRequest) => string | void | undefined;

export interface CheckResponsesOptions {
  /**
   * Where a refused response is reported (with status 500 and the check's error) before the client
   * gets a 500 in the envelope. `false` turns logging off. Defaults to one line on stderr.
   * @example checkResponses(check, { log: ({ error }) => logger.error(error) })
   */
  log?: Logger | false;
}

export type CheckResponsesMiddleware = (req: EnvelopeRequest, res: EnvelopeResponse, next: NextFunction) => void;

const KNOWN: Record<keyof CheckResponsesOptions, true> = { log: true };
const OWNER = 'checkResponses()';
/** Statuses that go out without a body: nothing to check. */
const NO_BODY = new Set([204, 205, 304]);

type Write = (...args: unknown[]) => unknown;

function textOf(chunk: unknown): string | undefined {
  if (typeof chunk === 'string') return chunk;
  if (Buffer.isBuffer(chunk)) return chunk.toString('utf8');
  return undefined;
}

/**
 * Mounted after `envelope()` (and before the routes), checks every body the envelope writes: its
 * status, media type, parsed body and text go to `check`. A body that passes goes out as it was; one
 * that fails (the check throws, or returns a problem text) is reported through `log` and answered
 * with a 500 in the request's envelope, without the check's message. Bodiless responses (204, 205,
 * 304), bodies that are not JSON and routes no `envelope()` covers are not checked.
 *
 * @example
 * app.use('/api', envelope('vbapi'), checkResponses(({ status, body }) => {
 *   const problem = validator.validateResponse(status, body);
 *   if (problem) throw new Error(JSON.stringify(problem.errors));
 * }));
 */
export function checkResponses(check: ResponseCheck, options: CheckResponsesOptions = {}): CheckResponsesMiddleware {
  if (typeof check !== 'function') throw new EnvelopeError('ERR_ENVELOPE_INVALID_OPTION', `${OWNER}: check must be a function`);
  checkOptions(OWNER, options, Object.keys(KNOWN));
  const log = resolveLogger(OWNER, options.log);

  return function checkResponses(req: EnvelopeRequest, res: EnvelopeResponse, next: NextFunction): void {
    const target = res as unknown as Record<'send' | 'end', Write | undefined>;
    const ownSend = Object.prototype.hasOwnProperty.call(res, 'send');
    const ownEnd = Object.prototype.hasOwnProperty.call(res, 'end');
    const send = target.send;
    const end = target.end as Write;
    let checked = false;

    // Once the first body is seen, the response writes as it would without this middleware.
    const restore = (): void => {
      checked = true;
      if (ownSend) target.send = send;
      else delete target.send;
      if (ownEnd) target.end = end;
      else delete target.end;
    };

    /** Whether the body may go out as it is; a refused one has been answered with a 500. */
    const passes = (chunk: unknown): boolean => {
      const responder = currentResponder(res);
      const text = textOf(chunk);
      if (responder === undefined || NO_BODY.has(res.statusCode) || text === undefined || text === '') return true;
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        return true;
      }
      const type = res.getHeader('content-type');
      const mediaType = (typeof type === 'string' ? type : '').split(';')[0].trim().toLowerCase();
      let problem: unknown;
      try {
        problem = check({ status: res.statusCode, mediaType, body, text }, req);
        if (problem === undefined || problem === null || problem === '') return true;
      } catch (error) {
        problem = error;
      }
      const error =
        problem instanceof Error ? problem : new Error(`${OWNER}: the ${res.statusCode} response was refused: ${String(problem)}`);
      respondFailure(res, error, { ...responder, log });
      return false;
    };

    if (typeof send === 'function') {
      target.send = function checkedSend(this: unknown, ...args: unknown[]): unknown {
        if (!checked) {
          restore();
          if (!passes(args[0])) return res;
        }
        return send.apply(res, args);
      };
    }
    target.end = function checkedEnd(this: unknown, ...args: unknown[]): unknown {
      if (!checked) {
        restore();
        if (!passes(args[0])) return res;
      }
      return end.apply(res, args);
    };
    next();
  };
}
