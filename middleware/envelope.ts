// envelope(): chooses the response format for a router and wraps res.json for its responses.

import { requestIdStorage } from '../lib/context';
import type { ErrorOutcome, Format, SuccessOutcome } from '../lib/outcome';
import { checkOptions, resolveDebug } from '../lib/options';
import { type PresetName, type PresetOptions, presetOptionKeys, resolveFormat } from '../lib/registry';
import { serialize } from '../lib/serialize';
import { isErrorStatus, statusTitle } from '../lib/status';
import { resolveLogger } from './log';
import { ensureRequestId, respond, writeText } from './respond';
import {
  type EnvelopeRequest,
  type EnvelopeResponse,
  type Logger,
  type NextFunction,
  type Responder,
  kResponder,
} from './types';

export interface EnvelopeOptions {
  /**
   * Where a payload that cannot be sent (circular, a throwing `toJSON`, a reserved key) is reported
   * before the client gets a 500 in the same format. `false` turns logging off.
   * Defaults to one line on stderr with the request id.
   * @example envelope('vbapi', { log: ({ requestId, error }) => logger.error({ requestId, err: error }) })
   */
  log?: Logger | false;
  /**
   * Adds the stack of such a failure where the format has a natural slot for it.
   * Defaults to `process.env.NODE_ENV === 'development'`, read when the middleware is made.
   * @example envelope('problem', { debug: true })
   */
  debug?: boolean;
}

/** What `res.success()` and `res.info()` take besides the data. */
export interface SuccessExtras {
  /** Defaults to the response's status (200 unless set). */
  status?: number;
  action?: string;
  message?: string;
  meta?: Record<string, unknown>;
}

const OWN_OPTIONS = ['log', 'debug'] as const;

function responderOf(res: EnvelopeResponse): Responder {
  // Only envelope() puts these functions on a response, and it sets the responder with them.
  return res[kResponder] as Responder;
}

/** The error outcome for `res.status(4xx|5xx).json(body)`: the handler chose to show this body. */
function jsonErrorOutcome(status: number, body: unknown): ErrorOutcome {
  const bag = body !== null && typeof body === 'object' ? (body as Record<string, unknown>) : undefined;
  const message =
    typeof body === 'string' ? body : bag && typeof bag.message === 'string' ? bag.message : statusTitle(status);
  const outcome: ErrorOutcome = { kind: 'error', status, message, hard: status >= 500, validation: false };
  if (bag) {
    if (typeof bag.code === 'string') outcome.code = bag.code;
    if (typeof bag.action === 'string') outcome.action = bag.action;
  }
  return outcome;
}

/** The shared replacement for `res.json` on enveloped responses. */
function envelopeJson(this: EnvelopeResponse, body?: unknown): EnvelopeResponse {
  const status = this.statusCode;
  // 204 and 304 carry no body: nothing to wrap.
  if (status === 204 || status === 304) {
    writeText(this, serialize(body));
    return this;
  }
  const { format, log, debug } = responderOf(this);
  if (status < 400) {
    respond(this, format, { kind: 'success', status, data: body }, log, debug);
  } else {
    respond(this, format, jsonErrorOutcome(isErrorStatus(status) ? status : 500, body), log, debug);
  }
  return this;
}

function sendSuccess(
  res: EnvelopeResponse,
  kind: 'success' | 'info',
  data: unknown,
  extras: SuccessExtras | undefined,
): EnvelopeResponse {
  const outcome: SuccessOutcome = { kind, status: extras?.status ?? res.statusCode, data };
  if (extras) {
    if (extras.action !== undefined) outcome.action = extras.action;
    if (extras.message !== undefined) outcome.message = extras.message;
    if (extras.meta !== undefined) outcome.meta = extras.meta;
  }
  const { format, log, debug } = responderOf(res);
  respond(res, format, outcome, log, debug);
  return res;
}

function success(this: EnvelopeResponse, data?: unknown, extras?: SuccessExtras): EnvelopeResponse {
  return sendSuccess(this, 'success', data, extras);
}

function info(this: EnvelopeResponse, data?: unknown, extras?: SuccessExtras): EnvelopeResponse {
  return sendSuccess(this, 'info', data, extras);
}

interface Enveloped {
  json: typeof envelopeJson;
  success: typeof success;
  info: typeof info;
}

/**
 * Makes every JSON response of the routes below it come out in one envelope.
 *
 * @param format A preset name (`'vbapi'`, `'backendResponse'`/`'wisphub'`, `'wispanel'`,
 *   `'webServiceReturn'`, `'statusOk'`/`'universa'`, `'jsend'`, `'problem'`) or a format from
 *   `defineFormat()`. Resolved once, here.
 * @param options `log` and `debug`, plus the preset's own options (`variant` for `'wispanel'`).
 * @example
 * app.use('/api', envelope('vbapi'));
 * app.use('/panel', envelope('wispanel', { variant: 'portal' }));
 */
export function envelope<P extends PresetName>(format: P, options?: EnvelopeOptions & PresetOptions[P]): EnvelopeMiddleware;
export function envelope(format: Format, options?: EnvelopeOptions): EnvelopeMiddleware;
export function envelope(format: PresetName | Format, options: EnvelopeOptions = {}): EnvelopeMiddleware {
  checkOptions('envelope()', options, [...OWN_OPTIONS, ...presetOptionKeys(format)]);
  const { log, debug, ...presetOptions } = options as EnvelopeOptions & Record<string, unknown>;
  const responder: Responder = {
    format: resolveFormat(format, presetOptions),
    log: resolveLogger('envelope()', log),
    debug: resolveDebug('envelope()', debug),
  };

  return function envelope(req: EnvelopeRequest, res: EnvelopeResponse, next: NextFunction): void {
    // An inner envelope() replaces the outer one's format; the functions are shared, never per request.
    res[kResponder] = responder;
    const enveloped = res as unknown as Enveloped;
    if (enveloped.json !== envelopeJson) {
      enveloped.json = envelopeJson;
      enveloped.success = success;
      enveloped.info = info;
    }
    if (req.id !== undefined) {
      next();
      return;
    }
    // No requestId() ran: make the id here, so the body, the header and currentRequestId() agree.
    requestIdStorage.run(ensureRequestId(req, res), next);
  };
}

export type EnvelopeMiddleware = (req: EnvelopeRequest, res: EnvelopeResponse, next: NextFunction) => void;

