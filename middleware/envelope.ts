// envelope(): chooses the response format for a router and wraps res.json for its responses.

import { isErrorLike, jsonBodyOutcome } from '../lib/error-outcome';
import { EnvelopeError } from '../lib/errors';
import type { Format, Outcome, SuccessOutcome } from '../lib/outcome';
import { checkOptions, resolveDebug } from '../lib/options';
import { type PresetName, type PresetOptions, presetOptionKeys, resolveFormat } from '../lib/registry';
import { serialize } from '../lib/serialize';
import { resolveLogger } from '../response/log';
import { type ObserveOptions, OBSERVE_KEYS, noteError, resolveReporter } from '../response/observe';
import { type LanguageOptions, resolveLanguage } from '../response/language';
import { DEFAULT_ID_POLICY, type IdPolicy, type RequestIdOptions, enterWithRequestId, resolveIdPolicy } from '../response/request-id';
import { respond, respondFailure, sendText } from '../response/write';
import { type Scope, currentResponder, hasGivenId, requestIdFor, scopes } from '../response/state';
import { submitted } from '../response/submitted';
import type { EnvelopeRequest, EnvelopeResponse, Logger, NextFunction, Responder } from '../response/types';

export interface EnvelopeOptions extends LanguageOptions, ObserveOptions {
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
  /**
   * Gives each request its id here, by exactly the rules of `requestId()` (the incoming header,
   * `traceparent`, the response header, async context): `true` for `requestId()`'s defaults, or its
   * options. An app that mounts `envelope()` this way needs no `requestId()` before it. A request
   * that `requestId()` or an outer `envelope()` already gave an id keeps it. Defaults to
   * `requestId()`'s defaults, applied to a request that has no `req.id` yet.
   * @example app.use(envelope('vbapi', { requestId: { header: 'X-Correlation-Id' } }))
   */
  requestId?: true | RequestIdOptions;
}

/** What `res.success()` and `res.info()` take besides the data. */
export interface SuccessExtras {
  /** Defaults to the response's status (200 unless set). */
  status?: number;
  action?: string;
  message?: string;
  meta?: Record<string, unknown>;
}

const KNOWN: Record<keyof EnvelopeOptions, true> = {
  log: true,
  debug: true,
  locales: true,
  translate: true,
  requestId: true,
  ...OBSERVE_KEYS,
};

/** Express's own res.json, kept on the prototype where the shared functions were installed. */
const kExpressJson: unique symbol = Symbol('express-envelope.expressJson');

type ExpressJson = (this: EnvelopeResponse, ...args: unknown[]) => unknown;
type Installed = EnvelopeResponse & { [kExpressJson]?: ExpressJson };

/** Hands a call to Express's own res.json with its arguments as given (Express 4 counts them). */
function expressJson(res: Installed, args: IArguments): EnvelopeResponse {
  const own = res[kExpressJson];
  if (own) {
    own.apply(res, args as unknown as unknown[]);
  } else {
    // Plain Connect has no res.json of its own: the body as JSON, as Express would send it.
    sendText(res, serialize(args[0]));
  }
  return res;
}

/**
 * The shared replacement for `res.json`: wraps the bodies of enveloped responses and passes every
 * other call on untouched. Never throws: whatever the handler passes, a failure becomes a logged 500
 * in the envelope.
 */
function envelopeJson(this: Installed, body?: unknown): EnvelopeResponse {
  const responder = currentResponder(this);
  const status = this.statusCode;
  // Not enveloped (another route of the app, or a request that left the enveloped sub-app), or a
  // 204/304, which carry no body: Express's own.
  // `arguments`, not a rest parameter: the hot path allocates no array, and the count reaches Express.
  // eslint-disable-next-line prefer-rest-params
  if (responder === undefined || status === 204 || status === 304) return expressJson(this, arguments);
  let outcome: Outcome;
  try {
    if (status < 400) {
      outcome = { kind: 'success', status, data: body };
    } else {
      outcome = jsonBodyOutcome(status, body, {
        genericMessage: responder.format.genericMessage,
        debug: responder.debug,
        submitted: () => submitted(this.req),
      });
      noteError(this, body, responder.reporter, !isErrorLike(body));
    }
  } catch (error) {
    respondFailure(this, error, responder);
    return this;
  }
  respond(this, outcome, responder);
  return this;
}

function sendSuccess(res: EnvelopeResponse, kind: 'success' | 'info', data: unknown, extras: SuccessExtras | undefined): EnvelopeResponse {
  const responder = currentResponder(res);
  if (responder === undefined) {
    // The same failure as on an app that no envelope() has touched, where res.success does not exist.
    throw new EnvelopeError('ERR_ENVELOPE_NOT_ENVELOPED', `res.${kind}() needs an envelope() on the route that answers`);
  }
  let outcome: SuccessOutcome;
  try {
    outcome = { kind, status: res.statusCode, data };
    if (extras !== undefined && extras !== null) {
      const { status, action, message, meta } = extras;
      if (status !== undefined) outcome.status = status;
      if (action !== undefined) outcome.action = action;
      if (message !== undefined) outcome.message = message;
      if (meta !== undefined) outcome.meta = meta;
    }
  } catch (error) {
    respondFailure(res, error, responder);
    return res;
  }
  respond(res, outcome, responder);
  return res;
}

function success(this: EnvelopeResponse, data?: unknown, extras?: SuccessExtras): EnvelopeResponse {
  return sendSuccess(this, 'success', data, extras);
}

function info(this: EnvelopeResponse, data?: unknown, extras?: SuccessExtras): EnvelopeResponse {
  return sendSuccess(this, 'info', data, extras);
}

interface Enveloped {
  json?: unknown;
  success?: unknown;
  info?: unknown;
  [kExpressJson]?: unknown;
}

/**
 * Puts the shared functions where this response finds them, and returns the scope's prototype. On
 * Express they go, once, on the app's own response prototype (`app.response`, which its sub-apps
 * chain to), so no request pays for writing them on `res` (see state.ts) and no other app of the
 * process sees them. Plain Connect has no such prototype, and writes to its responses are cheap:
 * there they go on the response itself.
 */
function install(res: EnvelopeResponse): object | null {
  // Express's app.response carries its app; read there, not on res (see state.ts for why).
  const proto = Object.getPrototypeOf(res) as Enveloped & { app?: { response?: unknown } | null };
  const app = proto.app;
  const own = app !== undefined && app !== null && app.response === proto ? proto : null;
  const target: Enveloped = own ?? res;
  if (target.json !== envelopeJson) {
    Object.defineProperty(target, kExpressJson, { value: target.json, configurable: true, writable: true });
    target.json = envelopeJson;
    target.success = success;
    target.info = info;
  }
  return own;
}

/**
 * Makes every JSON response of the routes below it come out in one envelope.
 *
 * @param format A preset name (`'vbapi'`, `'backendResponse'`/`'wisphub'`, `'wispanel'`,
 *   `'webServiceReturn'`, `'statusOk'`/`'universa'`, `'jsend'`, `'problem'`) or a format from
 *   `defineFormat()`. Resolved once, here.
 * @param options `log`, `debug`, `locales`, `translate`, `requestId`, plus the preset's own options
 *   (`variant` for `'wispanel'`).
 * @example
 * app.use('/api', envelope('vbapi', { requestId: true }));
 * app.use('/panel', envelope('wispanel', { variant: 'portal' }));
 */
export function envelope<P extends PresetName>(format: P, options?: EnvelopeOptions & PresetOptions[P]): EnvelopeMiddleware;
export function envelope(format: Format, options?: EnvelopeOptions): EnvelopeMiddleware;
export function envelope(format: PresetName | Format, options: EnvelopeOptions = {}): EnvelopeMiddleware {
  checkOptions('envelope()', options, [...Object.keys(KNOWN), ...presetOptionKeys(format)]);
  const { log, debug, locales, translate, requestId, onError, report, ...presetOptions } = options as EnvelopeOptions &
    Record<string, unknown>;
  const idPolicy = resolveEnvelopeIdPolicy(requestId);
  const explicit = requestId !== undefined;
  const language = resolveLanguage('envelope()', { locales, translate });
  const responder: Responder = {
    format: resolveFormat(format, language ? { ...presetOptions, locales: language.locales } : presetOptions),
    log: resolveLogger('envelope()', log),
    debug: resolveDebug('envelope()', debug),
  };
  if (language) responder.language = language;
  const reporter = resolveReporter('envelope()', { onError, report });
  if (reporter) responder.reporter = reporter;

  // The scope of a request that passed no other envelope(), one per app prototype: made once, not per request.
  const firstScopes = new WeakMap<object, Scope>();
  let connectScope: Scope | undefined;

  return function envelope(req: EnvelopeRequest, res: EnvelopeResponse, next: NextFunction): void {
    const proto = install(res);
    const outer = scopes.get(res);
    let scope: Scope | undefined;
    if (outer !== undefined) {
      // An inner envelope() overrides the outer one's format, inside its own app or router.
      scope = { responder, proto, outer };
    } else if (proto === null) {
      scope = connectScope ??= { responder, proto: null, outer: undefined };
    } else {
      scope = firstScopes.get(proto);
      if (scope === undefined) firstScopes.set(proto, (scope = { responder, proto, outer: undefined }));
    }
    scopes.set(res, scope);
    // One id per request, by one policy, so the body, the header and currentRequestId() agree. Told
    // to (`requestId`), envelope() is the id middleware, as requestId() is: it keeps only an id the
    // package gave (an outer envelope() or requestId()), and reads no req.id (a cost, see
    // response/state.ts). Otherwise it keeps any id the request has.
    if (explicit ? hasGivenId(req) : requestIdFor(req) !== undefined) next();
    else enterWithRequestId(idPolicy, req, res, next);
  };
}

/** The `requestId` option → the id policy: requestId()'s, with its defaults or the options given. */
function resolveEnvelopeIdPolicy(option: unknown): IdPolicy {
  if (option === undefined || option === true) return DEFAULT_ID_POLICY;
  if (option === null || typeof option !== 'object' || Array.isArray(option)) {
    throw new EnvelopeError('ERR_ENVELOPE_INVALID_OPTION', 'envelope(): requestId must be true or requestId() options');
  }
  return resolveIdPolicy('envelope(): requestId', option);
}

export type EnvelopeMiddleware = (req: EnvelopeRequest, res: EnvelopeResponse, next: NextFunction) => void;
