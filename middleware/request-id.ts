// requestId(): one id per request, in req.id, a response header and async context.

import { type RequestIdOptions, enterWithRequestId, resolveIdPolicy } from '../response/request-id';
import type { EnvelopeRequest, EnvelopeResponse, NextFunction } from '../response/types';

export type { RequestIdOptions } from '../response/request-id';

/**
 * Gives every request an id: reused from the incoming header when trusted, at most `maxLength`
 * characters and made only of `A-Z a-z 0-9 - _ . : = + /`; otherwise a fresh one (a rejected value
 * is never echoed). Sets `req.id`, the response header, and the async context read by
 * `currentRequestId()`. `envelope(format, { requestId })` applies the same policy, for an app that
 * mounts one middleware instead of two.
 * @example app.use(requestId());
 */
export function requestId(options: RequestIdOptions = {}): RequestIdMiddleware {
  const policy = resolveIdPolicy('requestId()', options);
  return function requestId(req: EnvelopeRequest, res: EnvelopeResponse, next: NextFunction): void {
    enterWithRequestId(policy, req, res, next);
  };
}

export type RequestIdMiddleware = (req: EnvelopeRequest, res: EnvelopeResponse, next: NextFunction) => void;
