// Renders an outcome in a format and writes it: the one place where bodies reach the wire.

import type { Format, Outcome, RenderContext, Rendered } from '../lib/outcome';
import { toErrorOutcome } from '../lib/error-outcome';
import { problem } from '../lib/formats/problem';
import { renderText } from '../lib/fast-text';
import { type JsonSettings, serialize } from '../lib/serialize';
import { newRequestId } from '../lib/request-id';
import { report, requestPath } from './log';
import { outcomes } from './state';
import type { EnvelopeRequest, EnvelopeResponse, Logger } from './types';

const JSON_TYPE = 'application/json; charset=utf-8';
const NO_SETTINGS: JsonSettings = {};
const FALLBACK_FORMAT = problem();

/**
 * The request's id, made (and announced in `X-Request-Id`) when requestId() did not run. `remember`
 * keeps a made id in `req.id` for the code still to come; the error handler, which ends the request,
 * spares that write (see state.ts).
 */
export function ensureRequestId(req: EnvelopeRequest, res: EnvelopeResponse, remember = true): string {
  const existing = req.id;
  if (typeof existing === 'string') return existing;
  const id = newRequestId();
  if (remember) req.id = id;
  if (!res.headersSent) res.setHeader('X-Request-Id', id);
  return id;
}

/** The render context; `instance` is worked out only by the formats that print it. */
class ResponseContext implements RenderContext {
  constructor(
    readonly requestId: string,
    private readonly req: EnvelopeRequest,
    readonly debug: boolean,
  ) {}

  get instance(): string {
    return requestPath(this.req);
  }
}

/** Express's `json replacer`, `json spaces` and `json escape` settings, as its own res.json reads them. */
function jsonSettings(res: EnvelopeResponse): JsonSettings {
  const settings = res.app?.settings;
  if (!settings) return NO_SETTINGS;
  const replacer = settings['json replacer'] as JsonSettings['replacer'];
  const spaces = settings['json spaces'] as JsonSettings['spaces'];
  const escape = settings['json escape'] as JsonSettings['escape'];
  return replacer === undefined && spaces === undefined && escape === undefined ? NO_SETTINGS : { replacer, spaces, escape };
}

/**
 * Writes a finished text body: a success through Express's res.send where there is one (ETag,
 * freshness, HEAD); an error, which no cache should keep, by hand as finalhandler does.
 */
export function writeText(res: EnvelopeResponse, text: string, viaSend = true): void {
  if (viaSend && typeof res.send === 'function') {
    res.send(text);
    return;
  }
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(res.req.method === 'HEAD' ? undefined : text);
}

function write(res: EnvelopeResponse, rendered: Rendered, text: string, kind: Outcome['kind']): void {
  // Remembered for what reads the outcome rather than the status (rate limiting, loggers).
  outcomes.set(res, kind);
  // A write to an Express res is costly (see state.ts): only when the status changes.
  if (res.statusCode !== rendered.status) res.statusCode = rendered.status;
  const headers = rendered.headers;
  if (headers) for (const name of Object.keys(headers)) res.setHeader(name, headers[name]);
  if (kind === 'error') {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    // An error replaces whatever type the handler had set before it failed.
    if (!headers || headers['Content-Type'] === undefined) res.setHeader('Content-Type', JSON_TYPE);
  } else if (!res.hasHeader('Content-Type')) {
    res.setHeader('Content-Type', JSON_TYPE);
  }
  writeText(res, text, kind !== 'error');
}

/**
 * Renders `outcome` and sends it. A body that cannot be rendered or serialized (a reserved key,
 * circular data, a throwing toJSON, a broken custom format) is logged and becomes a 500 in the same
 * format instead, so the client never gets a hung or half-written response.
 */
export function respond(
  res: EnvelopeResponse,
  format: Format,
  outcome: Outcome,
  log: Logger | false,
  debug: boolean,
  requestId: string = ensureRequestId(res.req, res),
): void {
  const req = res.req;
  const ctx = new ResponseContext(requestId, req, debug);
  let rendered: Rendered;
  let text: string;
  try {
    // render() then serialize(), or the same text spliced from cached pieces (lib/fast-text.ts).
    [rendered, text] = renderText(format, outcome, ctx, jsonSettings(res));
  } catch (error) {
    report(log, req, ctx.requestId, 500, error);
    [rendered, text] = renderInternalError(format, ctx, error, debug);
    write(res, rendered, text, 'error');
    return;
  }
  write(res, rendered, text, outcome.kind);
}

function renderInternalError(format: Format, ctx: RenderContext, error: unknown, debug: boolean): [Rendered, string] {
  for (const candidate of [format, FALLBACK_FORMAT]) {
    try {
      const outcome = toErrorOutcome(error, { genericMessage: candidate.genericMessage, debug });
      const rendered = candidate.render({ ...outcome, status: 500, hard: true, validation: false }, ctx);
      return [rendered, serialize(rendered.body)];
    } catch {
      // A custom format that cannot render its own 500 falls back to problem details.
    }
  }
  /* istanbul ignore next -- problem() renders any internal error */
  return [{ status: 500, body: null }, '{"title":"Internal Server Error","status":500}'];
}
