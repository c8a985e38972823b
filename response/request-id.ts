// The request id policy, in one place: which id a request gets, where it is announced and kept.
// requestId() applies it; envelope() applies it too when no requestId() ran before it.

import type { IncomingMessage } from 'node:http';
import { requestIdStorage } from '../lib/context';
import { EnvelopeError } from '../lib/errors';
import { checkOptions, omitUndefined } from '../lib/options';
import { isAcceptableId, newRequestId } from '../lib/request-id';
import { activeTraceId } from '../lib/telemetry';
import { traceIdOf } from '../lib/trace-context';
import { keepRequestId, requestIdFor, setRequestId, traceIds } from './state';
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
   * of AsyncLocalStorage (about 2 % of a small request's instructions) when nothing reads it;
   * `currentRequestId()` is then `undefined`. Defaults to `true`.
   * @example requestId({ asyncContext: false })
   */
  asyncContext?: boolean;
}

/** The policy, resolved once when a middleware is made. */
export type IdPolicy = Required<RequestIdOptions> & {
  /** `header` in lower case, as Node keys `req.headers`. */
  incomingHeader: string;
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

/** Checks the options once (unknown keys, types) and fills in the defaults. */
export function resolveIdPolicy(owner: string, options: RequestIdOptions): IdPolicy {
  checkOptions(owner, options, Object.keys(KNOWN));
  const config: Required<RequestIdOptions> = {
    header: 'X-Request-Id',
    generator: newRequestId,
    trustIncoming: true,
    maxLength: 128,
    setHeader: true,
    traceparent: false,
    fromSpan: false,
    asyncContext: true,
    ...omitUndefined(options),
  };
  if (typeof config.header !== 'string' || config.header === '') {
    throw new EnvelopeError('ERR_ENVELOPE_INVALID_OPTION', `${owner}: header must be a non-empty string`);
  }
  if (typeof config.generator !== 'function') {
    throw new EnvelopeError('ERR_ENVELOPE_INVALID_OPTION', `${owner}: generator must be a function`);
  }
  if (!Number.isInteger(config.maxLength) || config.maxLength < 1) {
    throw new EnvelopeError('ERR_ENVELOPE_INVALID_OPTION', `${owner}: maxLength must be a positive integer`);
  }
  return { ...config, incomingHeader: config.header.toLowerCase() };
}

/** The policy with every default: what `envelope()` and `errorHandler()` apply when no requestId() ran. */
export const DEFAULT_ID_POLICY: IdPolicy = resolveIdPolicy('requestId()', {});

/**
 * The id `policy` gives the request: the incoming header's value when trusted and acceptable (at
 * most `maxLength` characters of `A-Z a-z 0-9 - _ . : = + /`), else the `traceparent` trace id when
 * asked for, else the active span's trace id when asked for (`fromSpan`), else a fresh one (a
 * rejected value is never echoed). Keeps the trace id for the log.
 */
function chooseRequestId(policy: IdPolicy, req: EnvelopeRequest): string {
  const incoming = policy.trustIncoming ? req.headers[policy.incomingHeader] : undefined;
  const traceId = policy.traceparent ? traceIdOf(req.headers.traceparent) : undefined;
  if (traceId !== undefined) traceIds.set(req, traceId);
  return isAcceptableId(incoming, policy.maxLength)
    ? incoming
    : (traceId ?? (policy.fromSpan ? activeTraceId() : undefined) ?? String(policy.generator(req)));
}

/** Gives the request its id by `policy`: `req.id` and, unless told not to, the response header. Returns the id. */
export function assignRequestId(policy: IdPolicy, req: EnvelopeRequest, res: EnvelopeResponse): string {
  const id = chooseRequestId(policy, req);
  setRequestId(req, id);
  if (policy.setHeader) announce(res, policy.header, id);
  return id;
}

/**
 * Writes the id's header, unless the response has started (an error path reached after a body).
 * Asked with try rather than `res.headersSent`, a getter that costs a lookup on every request.
 */
function announce(res: EnvelopeResponse, header: string, id: string): void {
  try {
    res.setHeader(header, id);
  } catch (error) {
    if ((error as { code?: unknown } | null)?.code !== 'ERR_HTTP_HEADERS_SENT') throw error;
  }
}

/** Assigns the request's id by `policy`, then runs the rest of the request (in async context, unless told not to). */
export function enterWithRequestId(policy: IdPolicy, req: EnvelopeRequest, res: EnvelopeResponse, next: NextFunction): void {
  const id = assignRequestId(policy, req, res);
  if (policy.asyncContext) requestIdStorage.run(id, next);
  else next();
}

/**
 * The request's id: the one it has, else one made now by the default policy, for a request that
 * reached the package's error path without passing `requestId()` or `envelope()`. That request is
 * over: its id goes in the header, the body and the log line, and is kept beside the request, not
 * written to `req.id` (docs/internals/decisions.md (t)).
 */
export function requestIdOf(req: EnvelopeRequest, res: EnvelopeResponse): string {
  const existing = requestIdFor(req);
  if (typeof existing === 'string') return existing;
  const id = chooseRequestId(DEFAULT_ID_POLICY, req);
  keepRequestId(req, id);
  announce(res, DEFAULT_ID_POLICY.header, id);
  return id;
}
