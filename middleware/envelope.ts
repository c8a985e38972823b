// envelope(): chooses the response format for a router and wraps res.json for its responses.

import { requestIdStorage } from '../lib/context';
import type { ErrorOutcome, Format, SuccessOutcome } from '../lib/outcome';
import { checkOptions, resolveDebug } from '../lib/options';
import { type PresetName, type PresetOptions, presetOptionKeys, resolveFormat } from '../lib/registry';
import { serialize } from '../lib/serialize';
import { isErrorStatus, statusTitle } from '../lib/status';
import { resolveLogger } from './log';
import { problem } from '../lib/formats/problem';
import { type LanguageOptions, resolveLanguage } from './language';
import { ensureRequestId, respond, writeText } from './respond';
import { stderrLogger } from './log';
import { responders } from './state';
import type { EnvelopeRequest, EnvelopeResponse, Logger, NextFunction, Responder } from './types';

export interface EnvelopeOptions extends LanguageOptions {
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

const OWN_OPTIONS = ['log', 'debug', 'locales', 'translate'] as const;

/** Express's own res.json, kept on the prototype where the shared functions were installed. */
const kExpressJson: unique symbol = Symbol('express-envelope.expressJson');

/** For res.success()/res.info() on a response no envelope() has seen: the data as it is. */
const UNENVELOPED: Responder = { format: problem(), log: stderrLogger, debug: false };

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

type ExpressJson = (this: EnvelopeResponse, ...args: unknown[]) => unknown;

/** The shared replacement for `res.json`: wraps the bodies of enveloped responses, passes others on. */
function envelopeJson(this: EnvelopeResponse & { [kExpressJson]?: ExpressJson }, body?: unknown, second?: unknown): EnvelopeResponse {
  const responder = responders.get(this);
  const status = this.statusCode;
  // Not enveloped (another router of the same app), or 204/304, which carry no body: Express's own,
  // with every argument (Express 4 still takes res.json(status, body)).
  if (responder === undefined || status === 204 || status === 304) {
    const expressJson = this[kExpressJson];
    if (!expressJson) writeText(this, serialize(body));
    else if (second === undefined) expressJson.call(this, body);
    else expressJson.call(this, body, second);
    return this;
  }
  const { format, log, debug } = responder;
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
  const { format, log, debug } = responders.get(res) ?? UNENVELOPED;
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
  [kExpressJson]?: ExpressJson;
}

/**
 * Puts the shared functions where this response finds them. On Express they go, once, on the
 * prototype that holds Express's own `json` (shared by every app and sub-app of that copy of
 * Express), so no request pays for writing them on `res` (see state.ts); `json` there hands
 * responses no envelope() has seen to Express's own. Plain Connect has no such prototype, and
 * writes to its responses are cheap: there they go on the response itself.
 */
function install(res: Enveloped): void {
  let proto = Object.getPrototypeOf(res) as Enveloped | null;
  while (proto !== null && !Object.prototype.hasOwnProperty.call(proto, 'json')) proto = Object.getPrototypeOf(proto);
  const target = proto ?? res;
  if (target.json === envelopeJson) return;
  if (proto !== null) Object.defineProperty(proto, kExpressJson, { value: proto.json, configurable: true });
  target.json = envelopeJson;
  target.success = success;
  target.info = info;
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
  const { log, debug, locales, translate, ...presetOptions } = options as EnvelopeOptions & Record<string, unknown>;
  const language = resolveLanguage('envelope()', { locales, translate });
  const responder: Responder = {
    format: resolveFormat(format, language ? { ...presetOptions, locales: language.locales } : presetOptions),
    log: resolveLogger('envelope()', log),
    debug: resolveDebug('envelope()', debug),
  };
  if (language) responder.language = language;

  return function envelope(req: EnvelopeRequest, res: EnvelopeResponse, next: NextFunction): void {
    // An inner envelope() replaces the outer one's format; the functions are shared, never per request.
    responders.set(res, responder);
    const enveloped = res as unknown as Enveloped;
    if (enveloped.json !== envelopeJson) install(enveloped);
    if (req.id !== undefined) {
      next();
      return;
    }
    // No requestId() ran: make the id here, so the body, the header and currentRequestId() agree.
    requestIdStorage.run(ensureRequestId(req, res), next);
  };
}

export type EnvelopeMiddleware = (req: EnvelopeRequest, res: EnvelopeResponse, next: NextFunction) => void;

