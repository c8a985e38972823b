// Renders an outcome in a format and writes it: the one place where bodies reach the wire.

import { validateHeaderName, validateHeaderValue } from 'node:http';
import { EnvelopeError } from '../lib/errors';
import type { ErrorOutcome, Format, Outcome, RenderContext } from '../lib/outcome';
import { toErrorOutcome } from '../lib/error-outcome';
import { problem } from '../lib/formats/problem';
import { renderText } from '../lib/fast-text';
import type { JsonSettings } from '../lib/serialize';
import { speak } from './language';
import { report, requestPath } from './log';
import { requestIdOf } from './request-id';
import { currentResponder, outcomes, traceIds } from './state';
import type { EnvelopeRequest, EnvelopeResponse, Logger, Responder } from './types';
import { errorWritten, failureWritten } from './observe';
import { activeTraceId } from '../lib/telemetry';

const JSON_TYPE = 'application/json; charset=utf-8';
const NO_SETTINGS: JsonSettings = {};
const FALLBACK_FORMAT = problem();

/** The render context; `instance` is worked out only by the formats that print it. */
class ResponseContext implements RenderContext {
  constructor(
    readonly requestId: string,
    private readonly req: EnvelopeRequest,
    readonly debug: boolean,
    readonly locale?: string,
  ) {}

  get instance(): string {
    return requestPath(this.req);
  }

  get traceId(): string | undefined {
    return activeTraceId() ?? traceIds.get(this.req);
  }
}

/**
 * Express's `json replacer`, `json spaces` and `json escape` settings, as its own res.json reads
 * them from `res.app`: here from the response's prototype, the app's own `app.response`, which is
 * where `res.app` lives and a cheaper read than `res` itself (see state.ts).
 */
function jsonSettings(res: EnvelopeResponse): JsonSettings {
  const settings = (Object.getPrototypeOf(res) as { app?: { settings?: Record<string, unknown> } } | null)?.app?.settings;
  if (!settings) return NO_SETTINGS;
  const replacer = settings['json replacer'] as JsonSettings['replacer'];
  const spaces = settings['json spaces'] as JsonSettings['spaces'];
  const escape = settings['json escape'] as JsonSettings['escape'];
  return replacer === undefined && spaces === undefined && escape === undefined ? NO_SETTINGS : { replacer, spaces, escape };
}

/**
 * Writes a finished success text through Express's res.send where there is one (ETag, freshness,
 * HEAD), else by hand.
 */
export function sendText(res: EnvelopeResponse, text: string): void {
  const send = res.send;
  if (typeof send === 'function') send.call(res, text);
  else endText(res, text);
}

/** Writes a finished text by hand, as finalhandler does: for an error, which no cache should keep. */
function endText(res: EnvelopeResponse, text: string): void {
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(res.req.method === 'HEAD' ? undefined : text);
}

/** A response ready for the wire: every part checked, so writing it cannot throw. */
interface Prepared {
  kind: Outcome['kind'];
  status: number;
  headers: [string, string][] | undefined;
  text: string;
}

/** A status a response may carry a body with: a whole number in 200..599. */
function isBodyStatus(status: unknown): status is number {
  return typeof status === 'number' && Number.isInteger(status) && status >= 200 && status <= 599;
}

function invalidRender(format: Format, problemText: string): EnvelopeError {
  return new EnvelopeError('ERR_ENVELOPE_INVALID_RENDER', `format "${format.name}": ${problemText}`);
}

/** Copies a format's headers, refusing any name or value Node would refuse at write time. */
function checkedHeaders(format: Format, headers: unknown): [string, string][] | undefined {
  if (headers === undefined || headers === null) return undefined;
  if (typeof headers !== 'object') throw invalidRender(format, 'render() returned headers that are not an object');
  const out: [string, string][] = [];
  for (const name of Object.keys(headers)) {
    const value = (headers as Record<string, unknown>)[name];
    if (typeof value !== 'string') throw invalidRender(format, `header ${JSON.stringify(name)} is not a string`);
    try {
      validateHeaderName(name);
      validateHeaderValue(name, value);
    } catch (cause) {
      throw new EnvelopeError('ERR_ENVELOPE_INVALID_RENDER', `format "${format.name}": header ${JSON.stringify(name)} is not valid HTTP`, {
        cause,
      });
    }
    out.push([name, value]);
  }
  return out;
}

/** Renders and serializes an outcome, checking what the format returned. Throws on any failure. */
function prepare(format: Format, outcome: Outcome, ctx: RenderContext, settings: JsonSettings): Prepared {
  if (!isBodyStatus(outcome.status)) {
    throw new EnvelopeError('ERR_ENVELOPE_INVALID_STATUS', 'The response status must be a whole number in 200..599');
  }
  // render() then serialize(), or the same text spliced from cached pieces (lib/fast-text.ts).
  const [rendered, text] = renderText(format, outcome, ctx, settings) as [unknown, string];
  if (rendered === null || typeof rendered !== 'object') throw invalidRender(format, 'render() must return { status, body }');
  const then = (rendered as { then?: unknown }).then;
  if (typeof then === 'function') {
    // An async render: its result comes too late, and its rejection must not go unhandled.
    (rendered as Promise<unknown>).then(undefined, () => undefined);
    throw invalidRender(format, 'render() must return its result, not a promise');
  }
  const { status, headers } = rendered as { status: unknown; headers?: unknown };
  if (!isBodyStatus(status)) throw invalidRender(format, 'render() returned a status outside 200..599');
  return { kind: outcome.kind, status, headers: checkedHeaders(format, headers), text };
}

function write(res: EnvelopeResponse, { kind, status, headers, text }: Prepared): void {
  // Remembered for what reads the outcome rather than the status (rate limiting, loggers).
  outcomes.set(res, kind);
  // A write to an Express res is costly (see state.ts): only when the status changes.
  if (res.statusCode !== status) res.statusCode = status;
  let typed = false;
  if (headers) {
    for (const [name, value] of headers) {
      res.setHeader(name, value);
      if (name.toLowerCase() === 'content-type') typed = true;
    }
  }
  if (kind === 'error') {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    // An error replaces whatever type the handler had set before it failed.
    if (!typed) res.setHeader('Content-Type', JSON_TYPE);
  } else if (!res.hasHeader('Content-Type')) {
    res.setHeader('Content-Type', JSON_TYPE);
  }
  if (kind === 'error') endText(res, text);
  else sendText(res, text);
}

/**
 * Renders `outcome` in the responder's format and sends it. Never throws: a body that cannot be
 * rendered or serialized (a reserved key, circular data, a throwing toJSON or getter), a status or
 * header Node would refuse, or a broken custom format is logged and becomes a 500 in the same
 * format (else in problem details), so the client never gets a hung or half-written response.
 */
export function respond(res: EnvelopeResponse, outcome: Outcome, responder: Responder): void {
  const { format, log, debug, language } = responder;
  // Each read of a property of req or res costs (see state.ts): each is read once here.
  const req = res.req;
  const started = res.headersSent;
  const requestId = requestIdOf(req, res);
  // An error under `locales` is written in the request's language (successes carry no package text).
  let locale: string | undefined;
  if (outcome.kind === 'error' && language !== undefined && !started) {
    // A translate hook's mistake goes to the log of the middleware it was given to.
    const scope = currentResponder(res);
    const hookLog = scope !== undefined && language === scope.language ? scope.log : log;
    [outcome, locale] = speak(res, language, outcome, hookLog, requestId);
  }
  const ctx = new ResponseContext(requestId, req, debug, locale);
  let prepared: Prepared;
  try {
    if (started) {
      throw new EnvelopeError('ERR_ENVELOPE_HEADERS_SENT', 'A body was sent on a response that had already started');
    }
    prepared = prepare(format, outcome, ctx, jsonSettings(res));
  } catch (error) {
    fail(res, format, ctx, error, log);
    return;
  }
  write(res, prepared);
  if (prepared.kind === 'error') errorWritten(res, outcome as ErrorOutcome, prepared.status, requestId, log);
}

/** Logs `error` and answers a 500 in the responder's format, for a failure found before anything was rendered. */
export function respondFailure(res: EnvelopeResponse, error: unknown, responder: Responder): void {
  const ctx = new ResponseContext(requestIdOf(res.req, res), res.req, responder.debug);
  fail(res, responder.format, ctx, error, responder.log);
}

function fail(res: EnvelopeResponse, format: Format, ctx: ResponseContext, error: unknown, log: Logger | false): void {
  report(log, res.req, ctx.requestId, 500, error);
  if (res.headersSent) {
    // Nothing more can be said on a response that has started. One still open is cut, as Express
    // does for an error after the headers, so the client cannot take a partial body as whole.
    if (!res.writableEnded) res.destroy();
    return;
  }
  write(res, internalError(format, ctx, error));
  failureWritten(res, error, ctx.requestId, log);
}

function internalError(format: Format, ctx: RenderContext, error: unknown): Prepared {
  for (const candidate of [format, FALLBACK_FORMAT]) {
    try {
      const genericMessage = candidate.genericMessage ? (status: number) => candidate.genericMessage!(status) : undefined;
      const outcome = toErrorOutcome(error, { genericMessage, debug: ctx.debug });
      return prepare(candidate, { ...outcome, status: 500, hard: true, validation: false }, ctx, NO_SETTINGS);
    } catch {
      // A custom format that cannot render its own 500 falls back to problem details.
    }
  }
  /* istanbul ignore next -- problem() renders any internal error */
  return { kind: 'error', status: 500, headers: undefined, text: '{"title":"Internal Server Error","status":500}' };
}
