// rateLimit(): express-rate-limit whose refusal is a 429 in the request's envelope.

import createError from 'http-errors';
import { type Options, rateLimit as expressRateLimit } from 'express-rate-limit';
import type { NextFunction, Request, Response } from 'express';
import { PACKAGE_TEXT } from '../lib/catalogs';
import { EnvelopeError } from '../lib/errors';
import { checkOptions, omitUndefined } from '../lib/options';
import { requestWasSuccessful } from '../response/outcome';
import type { ExpressRateLimitOptions } from './rate-limit-options';
import type { EnvelopeRequest, EnvelopeResponse, NextFunction as EnvelopeNext } from '../response/types';

const DEFAULT_RATE_LIMIT_MESSAGE = 'Too many requests, please try again later.';
/** RFC 9457's registered problem type for a 429 (IANA HTTP Problem Types). */
const QUOTA_EXCEEDED = 'https://iana.org/assignments/http-problem-types#quota-exceeded';

/**
 * express-rate-limit's options, every one passed through, except that `message` is the text of the
 * error outcome. Defaults differ in three places: `legacyHeaders` stays on (the `X-RateLimit-*`
 * headers, plus `X-RateLimit-Window`), `standardHeaders` is off unless asked for, and
 * `requestWasSuccessful` reads the rendered outcome instead of the status.
 */
export type RateLimitOptions = ExpressRateLimitOptions & {
  /**
   * The message of the refusal. Defaults to `'Too many requests, please try again later.'`.
   * @example rateLimit({ limit: 20, message: 'Too many login attempts' })
   */
  message?: string;
};

/** express-rate-limit 8's options (a typo such as `lmit` would otherwise pass silently). */
const KNOWN: Record<keyof RateLimitOptions, true> = {
  windowMs: true,
  limit: true,
  max: true,
  message: true,
  statusCode: true,
  legacyHeaders: true,
  standardHeaders: true,
  headers: true,
  identifier: true,
  requestPropertyName: true,
  skipFailedRequests: true,
  skipSuccessfulRequests: true,
  keyGenerator: true,
  ipv6Subnet: true,
  handler: true,
  skip: true,
  requestWasSuccessful: true,
  store: true,
  validate: true,
  passOnStoreError: true,
  retryAfter: true,
  logger: true,
};

/**
 * Limits requests with express-rate-limit; a refusal is forwarded as a hard 429 error, so
 * errorHandler() renders it in the request's envelope, with the limiter's headers kept.
 * @example app.use('/api/v1/auth', rateLimit({ windowMs: 60_000, limit: 20 }));
 */
export function rateLimit(options: RateLimitOptions = {}): RateLimitMiddleware {
  checkOptions('rateLimit()', options, Object.keys(KNOWN));
  const { message = DEFAULT_RATE_LIMIT_MESSAGE, ...passed } = options;
  // The package's own text is written in the request's language when locales are set.
  const ownText = options.message === undefined;
  if (typeof message !== 'string') {
    throw new EnvelopeError('ERR_ENVELOPE_INVALID_OPTION', 'rateLimit(): message must be a string');
  }
  const statusCode = passed.statusCode ?? 429;
  const limiter = expressRateLimit({
    legacyHeaders: true,
    standardHeaders: false,
    requestWasSuccessful,
    handler: function rateLimited(_req: Request, _res: Response, next: NextFunction) {
      // The text is the app's own, so it shows even if the app chose a 5xx status. A 429 carries
      // the registered problem type (only `problem` prints `type`).
      const error = createError(statusCode, message, statusCode === 429 ? { hard: true, expose: true, type: QUOTA_EXCEEDED } : { hard: true, expose: true });
      if (ownText) Object.defineProperty(error, PACKAGE_TEXT, { value: 'rateLimited' });
      next(error);
    },
    ...(omitUndefined(passed) as Partial<Options>),
  });
  // WisPanel's contract names the window next to the legacy headers.
  const window = String(Math.ceil((passed.windowMs ?? 60_000) / 1000));
  const legacy = passed.legacyHeaders ?? passed.headers ?? true;

  const middleware = function rateLimit(req: Request, res: Response, next: NextFunction): void {
    if (legacy) res.setHeader('X-RateLimit-Window', window);
    void limiter(req, res, next);
  } as RateLimitMiddleware;
  middleware.resetKey = limiter.resetKey;
  middleware.getKey = limiter.getKey;
  return middleware;
}

export type RateLimitMiddleware = ((req: EnvelopeRequest, res: EnvelopeResponse, next: EnvelopeNext) => void) & {
  /** Forgets the hits of one client key (express-rate-limit's resetKey). */
  resetKey: (key: string) => void;
  /** The hits and reset time of one client key, where the store can tell. */
  getKey: (key: string) => unknown;
};
