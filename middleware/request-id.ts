// requestId(): one id per request, in req.id, a response header and async context.

import type { IncomingMessage } from 'node:http';
import { requestIdStorage } from '../lib/context';
import { EnvelopeError } from '../lib/errors';
import { checkOptions, omitUndefined } from '../lib/options';
import { isAcceptableId, newRequestId } from '../lib/request-id';
import { activeTraceId } from '../lib/telemetry';
import { traceIdOf } from '../lib/trace-context';
import { setRequestId, traceIds } from './state';
import type { EnvelopeRequest, EnvelopeResponse, NextFunction } from './types';

export interface RequestIdOptions {
  /**
   * The header read from the request and written on the response. Defaults to `'X-Request-Id'`.
   * @example requestId({ header: 'X-Correlation-Id' })
   */
  header?: string;
  /**
   * Makes a fresh id. Defaults to a random (v4) UUID.
   * @example requestId({ generator: () => ulid() })
   */
  generator?: (req: IncomingMessage) => string;
  /**
   * Reuse an id the client (or a proxy) sent, when it passes the safety rule. Defaults to `true`.
   * @example requestId({ trustIncoming: false })
   */
  trustIncoming?: boolean;
  /**
   * The longest incoming id that is reused. Defaults to `128`.
   * @example requestId({ maxLength: 64 })
   */
  maxLength?: number;
  /**
   * Write the id on the response header. Defaults to `true`.
   * @example requestId({ setHeader: false })
   */
  setHeader?: boolean;
  /**
   * Read the W3C `traceparent` header: when no incoming id is reused, a valid one gives the request
   * id (its trace id), and the package's log entries carry its `traceId` either way. Invalid
   * headers are ignored. Defaults to `false`.
   * @example requestId({ traceparent: true })
   */
  traceparent?: boolean;
  /**
   * When no incoming id is reused (and, with `traceparent`, no valid `traceparent` gave one), take
   * the trace id of the active OpenTelemetry span as the request id, so the response header, the log
   * line, the body and the trace all carry the same id. Without `@opentelemetry/api`, or with no
   * active span, a fresh id is made as usual. Defaults to `false`.
   * @example requestId({ fromSpan: true })
   */
  fromSpan?: boolean;
  /**
   * Run the rest of the request in async context, for `currentRequestId()`. `false` saves the cost
   * of AsyncLocalStorage (2 % of a small vbapi request's instructions, docs/performance.md) when nothing reads it;
   * `currentRequestId()` is then `undefined`. Defaults to `true`.
   * @example requestId({ asyncContext: false })
   */
  asyncContext?: boolean;
}

const DEFAULTS: Required<RequestIdOptions> = {
  header: 'X-Request-Id',
  generator: newRequestId,
  trustIncoming: true,
  maxLength: 128,
  setHeader: true,
  traceparent: false,
  fromSpan: false,
  asyncContext: true,
};

const KNOWN: Record<keyof RequestIdOptions, true> = {
  header: true,
  generator: true,
  trustIncoming: true,
  maxLength: true,
  setHeader: true,
  traceparent: true,
  fromSpan: true,
  asyncContext: true,
};

/**
 * Gives every request an id: reused from the incoming header when trusted, at most `maxLength`
 * characters and made only of `A-Z a-z 0-9 - _ . : = + /`; otherwise a fresh one (a rejected value
 * is never echoed). Sets `req.id`, the response header, and the async context read by
 * `currentRequestId()`.
 * @example app.use(requestId());
 */
export function requestId(options: RequestIdOptions = {}): RequestIdMiddleware {
  checkOptions('requestId()', options, Object.keys(KNOWN));
  const config = { ...DEFAULTS, ...omitUndefined(options) };
  if (typeof config.header !== 'string' || config.header === '') {
    throw new EnvelopeError('ERR_ENVELOPE_INVALID_OPTION', 'requestId(): header must be a non-empty string');
  }
  if (typeof config.generator !== 'function') {
    throw new EnvelopeError('ERR_ENVELOPE_INVALID_OPTION', 'requestId(): generator must be a function');
  }
  if (!Number.isInteger(config.maxLength) || config.maxLength < 1) {
    throw new EnvelopeError('ERR_ENVELOPE_INVALID_OPTION', 'requestId(): maxLength must be a positive integer');
  }
  const { header, generator, trustIncoming, maxLength, setHeader, traceparent, fromSpan, asyncContext } = config;
  const incomingHeader = header.toLowerCase();

  return function requestId(req: EnvelopeRequest, res: EnvelopeResponse, next: NextFunction): void {
    const incoming = trustIncoming ? req.headers[incomingHeader] : undefined;
    const traceId = traceparent ? traceIdOf(req.headers.traceparent) : undefined;
    if (traceId !== undefined) traceIds.set(req, traceId);
    const id = isAcceptableId(incoming, maxLength) ? incoming : (traceId ?? (fromSpan ? activeTraceId() : undefined) ?? String(generator(req)));
    setRequestId(req, id);
    if (setHeader) res.setHeader(header, id);
    if (asyncContext) requestIdStorage.run(id, next);
    else next();
  };
}

export type RequestIdMiddleware = (req: EnvelopeRequest, res: EnvelopeResponse, next: NextFunction) => void;
