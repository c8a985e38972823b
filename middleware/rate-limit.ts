// rateLimit(): express-rate-limit whose refusal is a 429 in the request's envelope.

import createError from 'http-errors';
import { type IncrementResponse, type LegacyStore, type Options, type Store, rateLimit as expressRateLimit } from 'express-rate-limit';
import type { NextFunction, Request, Response } from 'express';
import { PACKAGE_TEXT } from '../lib/catalogs';
import { EnvelopeError } from '../lib/errors';
import { omitUndefined } from '../lib/options';
import type { ExpressRateLimitOptions } from '../lib/rate-limit-options';
import { promisesWindowHeader } from '../lib/window-header';
import { requestWasSuccessful } from '../response/outcome';
import { currentResponder } from '../response/state';
import type { EnvelopeRequest, EnvelopeResponse, NextFunction as EnvelopeNext } from '../response/types';

const DEFAULT_RATE_LIMIT_MESSAGE = 'Too many requests, please try again later.';
/** RFC 9457's registered problem type for a 429 (IANA HTTP Problem Types). */
const QUOTA_EXCEEDED = 'https://iana.org/assignments/http-problem-types#quota-exceeded';

/**
 * express-rate-limit's options, every one passed through (and checked by express-rate-limit itself),
 * except that `message` is the text of the error outcome; plus `storeTimeoutMs` and `windowHeader`.
 * Defaults differ in three places: `legacyHeaders` stays on (the `X-RateLimit-*` headers, plus
 * `X-RateLimit-Window` in a WisPanel envelope), `standardHeaders` is off unless asked for, and
 * `requestWasSuccessful` reads the rendered outcome instead of the status.
 */
export type RateLimitOptions = Omit<ExpressRateLimitOptions, 'message'> & OwnOptions;

/** What rateLimit() adds to express-rate-limit's options, or reads differently. */
interface OwnOptions {
  /**
   * The message of the refusal. Defaults to `'Too many requests, please try again later.'`.
   * @example rateLimit({ limit: 20, message: 'Too many login attempts' })
   */
  message?: string;
  /**
   * How long the store may take to count a request, in milliseconds. A store that takes longer, or
   * fails, answers 503 `RATE_LIMIT_STORE_UNAVAILABLE` with `Retry-After` (or lets the request
   * through with `passOnStoreError: true`), so a request never waits on a client that queues while
   * its server is away. Defaults to `2000`.
   * @example rateLimit({ store, storeTimeoutMs: 500 })
   */
  storeTimeoutMs?: number;
  /**
   * Send `X-RateLimit-Window` (the window, in seconds) beside the legacy `X-RateLimit-*` headers.
   * Defaults to the contract of the request's envelope: on for WisPanel (all its variants), whose
   * contract names the header, off for every other format.
   * @example rateLimit({ windowHeader: true }) // in a custom format that promises the header
   */
  windowHeader?: boolean;
}

/** The explicit code, message and `Retry-After` (seconds) of the 503 a failing store answers. */
export const RATE_LIMIT_STORE_UNAVAILABLE = {
  code: 'RATE_LIMIT_STORE_UNAVAILABLE',
  message: 'Rate limits cannot be checked right now; retry later',
  retryAfter: 5,
} as const;

/** The largest delay setTimeout() keeps (a longer one fires at once). */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/** The guarded view of each store, so that a store given to two limiters is still one object to express-rate-limit's reuse check. */
const guarded = new WeakMap<Store, Store>();

/** A store reply express-rate-limit can count: an object with a number of hits. */
function isIncrementResponse(value: unknown): value is IncrementResponse {
  return typeof value === 'object' && value !== null && typeof (value as { totalHits?: unknown }).totalHits === 'number';
}

/**
 * The store's increment(), bounded by `timeoutMs`; a failure, a timeout or a reply that is not a
 * count rejects with what `failure()` makes of it. The late answer of a call that timed out is
 * dropped (it still counts in the store, as any request that reached it).
 */
function boundedIncrement(
  store: Store,
  timeoutMs: number,
  failure: (cause: unknown) => unknown,
): (key: string) => Promise<IncrementResponse> {
  return function increment(key: string): Promise<IncrementResponse> {
    return new Promise<IncrementResponse>((resolve, reject) => {
      // The rejections carry what failure() makes, which is the store's own error as is with passOnStoreError.
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- see above
      const timer = setTimeout(() => reject(failure(new Error(`rate-limit store did not answer within ${timeoutMs} ms`))), timeoutMs);
      timer.unref?.();
      const settle = (fn: () => void): void => {
        clearTimeout(timer);
        fn();
      };
      new Promise<unknown>((inner) => inner(store.increment(key))).then(
        (reply) =>
          settle(() => {
            if (isIncrementResponse(reply)) resolve(reply);
            // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- see above
            else reject(failure(new TypeError('rate-limit store answered increment() without a number of hits')));
          }),
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- see above
        (err: unknown) => settle(() => reject(failure(err))),
      );
    });
  };
}

/**
 * The store as express-rate-limit sees it: the same object in every respect (its class name,
 * `prefix`, `localKeys`, its other methods), except that increment() is bounded in time.
 */
function guardStore(given: Store | LegacyStore, timeoutMs: number, failure: (cause: unknown) => unknown): Store | LegacyStore {
  // A legacy (callback) store, or anything else without increment(): express-rate-limit handles or refuses it.
  if (given === null || typeof given !== 'object' || typeof (given as Partial<Store>).increment !== 'function') return given;
  const store = given as Store;
  const known = guarded.get(store);
  if (known) return known;
  const increment = boundedIncrement(store, timeoutMs, failure);
  const proxy = new Proxy(store, {
    get(target, property) {
      if (property === 'increment') return increment;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' && property !== 'constructor' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  guarded.set(store, proxy);
  return proxy;
}

/** The 503 a store failure answers: the store's error stays its cause, for the log, never the body. */
function storeUnavailable(cause: unknown): Error {
  const { code, message, retryAfter } = RATE_LIMIT_STORE_UNAVAILABLE;
  return createError(503, message, { code, hard: true, expose: true, headers: { 'Retry-After': String(retryAfter) }, cause });
}

/**
 * Limits requests with express-rate-limit; a refusal is forwarded as a hard 429 error, so
 * errorHandler() renders it in the request's envelope, with the limiter's headers kept.
 * @example app.use('/api/v1/auth', rateLimit({ windowMs: 60_000, limit: 20 }));
 */
export function rateLimit(options: RateLimitOptions = {}): RateLimitMiddleware {
  if (options === null || typeof options !== 'object') {
    throw new EnvelopeError('ERR_ENVELOPE_INVALID_OPTION', 'rateLimit(): options must be an object');
  }
  // rateLimit() checks only the options it reads itself. Every other key goes to express-rate-limit,
  // whose own start-up validation reports one it does not know (ERR_ERL_UNKNOWN_OPTION, through
  // `logger`) without throwing: an option of a later express-rate-limit release works, and a typo
  // is still reported when the app starts.
  const { message = DEFAULT_RATE_LIMIT_MESSAGE, storeTimeoutMs = 2000, windowHeader, ...passed } = omitUndefined(options);
  if (windowHeader !== undefined && typeof windowHeader !== 'boolean') {
    throw new EnvelopeError('ERR_ENVELOPE_INVALID_OPTION', 'rateLimit(): windowHeader must be a boolean');
  }
  // The package's own text is written in the request's language when locales are set.
  const ownText = options.message === undefined;
  if (typeof message !== 'string') {
    throw new EnvelopeError('ERR_ENVELOPE_INVALID_OPTION', 'rateLimit(): message must be a string');
  }
  if (!Number.isInteger(storeTimeoutMs) || storeTimeoutMs < 1 || storeTimeoutMs > MAX_TIMEOUT_MS) {
    throw new EnvelopeError('ERR_ENVELOPE_INVALID_OPTION', `rateLimit(): storeTimeoutMs must be an integer from 1 to ${MAX_TIMEOUT_MS}`);
  }
  // With passOnStoreError, express-rate-limit logs the store's own error and lets the request pass.
  const failure = passed.passOnStoreError ? (cause: unknown) => cause : storeUnavailable;
  const store = passed.store === undefined ? undefined : guardStore(passed.store, storeTimeoutMs, failure);
  const statusCode = passed.statusCode ?? 429;
  const limiter = expressRateLimit({
    legacyHeaders: true,
    standardHeaders: false,
    requestWasSuccessful,
    handler: function rateLimited(_req: Request, _res: Response, next: NextFunction) {
      // The text is the app's own, so it shows even if the app chose a 5xx status. A 429 carries
      // the registered problem type (only `problem` prints `type`).
      const error = createError(
        statusCode,
        message,
        statusCode === 429 ? { hard: true, expose: true, type: QUOTA_EXCEEDED } : { hard: true, expose: true },
      );
      if (ownText) Object.defineProperty(error, PACKAGE_TEXT, { value: 'rateLimited' });
      next(error);
    },
    ...(passed as Partial<Options>),
    store,
  });
  const window = String(Math.ceil((passed.windowMs ?? 60_000) / 1000));
  const legacy = passed.legacyHeaders ?? passed.headers ?? true;

  const middleware = function rateLimit(req: Request, res: Response, next: NextFunction): void {
    if (legacy && (windowHeader ?? promisesWindowHeader(currentResponder(res)?.format))) res.setHeader('X-RateLimit-Window', window);
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
