// express-rate-limit 8's options, declared here on Node's own request and response types, so the
// package's declarations load without @types/express (express-rate-limit's own types import it).
// Callbacks are written as methods, so a callback typed with Express's Request is accepted too.

import type { IncomingMessage, ServerResponse } from 'node:http';

/** A function of the request and response that gives a value, now or as a promise (express-rate-limit's ValueDeterminingMiddleware; a method, so its parameters are checked bivariantly). */
export interface RateLimitValueFunction<T> {
  bivarianceHack(request: IncomingMessage, response: ServerResponse): T | Promise<T>;
}

/** What a store answers for a client key. */
export interface RateLimitClientInfo {
  totalHits: number;
  resetTime: Date | undefined;
}

/** An express-rate-limit store (rate-limit-redis's RedisStore, a memory store, a store of your own). */
export interface RateLimitStore {
  init?(options: { windowMs: number }): void | Promise<void>;
  get?(key: string): Promise<RateLimitClientInfo | undefined> | RateLimitClientInfo | undefined;
  increment(key: string): Promise<RateLimitClientInfo> | RateLimitClientInfo;
  decrement(key: string): Promise<void> | void;
  resetKey(key: string): Promise<void> | void;
  resetAll?(): Promise<void> | void;
  shutdown?(): Promise<void> | void;
  localKeys?: boolean;
  prefix?: string;
}

/** express-rate-limit 8's options, each one optional; see its documentation for what each does. */
export interface ExpressRateLimitOptions {
  windowMs?: number;
  limit?: number | RateLimitValueFunction<number>['bivarianceHack'];
  max?: number | RateLimitValueFunction<number>['bivarianceHack'];
  statusCode?: number;
  legacyHeaders?: boolean;
  standardHeaders?: boolean | 'draft-6' | 'draft-7' | 'draft-8';
  headers?: boolean;
  identifier?: string | RateLimitValueFunction<string>['bivarianceHack'];
  retryAfter?: number | RateLimitValueFunction<number>['bivarianceHack'];
  requestPropertyName?: string;
  skipFailedRequests?: boolean;
  skipSuccessfulRequests?: boolean;
  keyGenerator?: RateLimitValueFunction<string>['bivarianceHack'];
  ipv6Subnet?: number | false | RateLimitValueFunction<number | false>['bivarianceHack'];
  handler?: RateLimitHandler['bivarianceHack'];
  skip?: RateLimitValueFunction<boolean>['bivarianceHack'];
  requestWasSuccessful?: RateLimitValueFunction<boolean>['bivarianceHack'];
  store?: RateLimitStore;
  validate?: boolean | Record<string, boolean>;
  passOnStoreError?: boolean;
  logger?: { warn(...args: unknown[]): void; error(...args: unknown[]): void };
}

/** express-rate-limit's `handler`: what runs when a client is over its limit. */
export interface RateLimitHandler {
  bivarianceHack(request: IncomingMessage, response: ServerResponse, next: (err?: unknown) => void, optionsUsed: unknown): void;
}
