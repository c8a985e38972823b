// The retry policy of envelopeFetch(): what may be sent again, on which answers, and how long to wait.

import { misuse } from './errors';
import { headerOf, rateLimitResetMs, retryAfterMs } from './headers';
import type { Decoded, HeaderSource } from './types';

export interface RetryOptions {
  /**
   * How many times a call may be sent again after its first attempt, as ky counts it: `limit: 2` is
   * at most 3 attempts. Defaults to `2`.
   * @example envelopeFetch('problem', { retry: { limit: 4 } })
   */
  limit?: number;
  /**
   * The methods retried without an `Idempotency-Key`. POST and PATCH are never in it: they are
   * retried only when the request carries a key (see `idempotencyKey`). Defaults to
   * `['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']`.
   * @example envelopeFetch('problem', { retry: { methods: ['GET'] } })
   */
  methods?: readonly string[];
  /**
   * The HTTP statuses that are retried (besides network errors and the envelope's store-unavailable
   * refusals). Defaults to `[408, 429, 502, 503, 504]`.
   * @example envelopeFetch('problem', { retry: { statuses: [409, 429, 503] } })
   */
  statuses?: readonly number[];
  /**
   * The longest single wait. A server that asks for longer (`Retry-After`, `RateLimit-Reset`) gets
   * no retry: its answer is returned. Defaults to `30000`.
   * @example envelopeFetch('problem', { retry: { maxDelayMs: 5000 } })
   */
  maxDelayMs?: number;
  /**
   * The time a call may take from its first attempt, in milliseconds: no wait runs past it and no
   * attempt starts after it (an attempt in flight is not cut; pass an `AbortSignal` for that).
   * Defaults to none.
   * @example envelopeFetch('problem', { retry: { deadlineMs: 10000 } })
   */
  deadlineMs?: number;
}

/**
 * What the client knows of an API's error catalog: its codes (they type `code`) and, per code,
 * whether a failure with it is `retryable`. A server catalog (`defineErrors()`) is one; so is a
 * plain object in a browser bundle.
 */
export interface ClientCatalog<C extends string = string> {
  readonly codes: readonly C[];
  readonly definitions?: { readonly [K in C]?: { readonly status?: number; readonly retryable?: boolean } };
}

/** The codes of a catalog, for `envelopeFetch<CatalogCode<typeof catalog>>()` or `Decoded<T, …>`. */
export type CatalogCode<K> = K extends { readonly codes: readonly (infer C)[] } ? (C extends string ? C : never) : never;

export interface RetryPolicy {
  limit: number;
  methods: ReadonlySet<string>;
  statuses: ReadonlySet<number>;
  maxDelayMs: number;
  deadlineMs: number | undefined;
}

const OPTIONS: Record<keyof RetryOptions, true> = { limit: true, methods: true, statuses: true, maxDelayMs: true, deadlineMs: true };
const DEFAULT_METHODS = ['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE'];
const DEFAULT_STATUSES = [408, 429, 502, 503, 504];
/** The envelope's own refusals that say "the server could not decide; ask again". */
const STORE_UNAVAILABLE = new Set(['IDEMPOTENCY_STORE_UNAVAILABLE', 'RATE_LIMIT_STORE_UNAVAILABLE']);
/** The first backoff; each retry doubles it (300, 600, 1200 ms …), as ky does. */
const BASE_DELAY_MS = 300;
/** setTimeout's largest delay. */
const MAX_TIMER_MS = 2_147_483_647;

const invalid = (message: string): TypeError => misuse('ERR_ENVELOPE_INVALID_OPTION', `retry: ${message}`);
const own = (object: object, key: string): boolean => Object.prototype.hasOwnProperty.call(object, key);

function count(name: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > MAX_TIMER_MS) {
    throw invalid(`${name} must be an integer from ${min} to ${MAX_TIMER_MS}, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** The `retry` option, checked once when the client is made; `undefined` when retries are off. */
export function resolveRetry(retry: unknown): RetryPolicy | undefined {
  if (retry === undefined || retry === false) return undefined;
  const given: RetryOptions = retry === true ? {} : (retry as RetryOptions);
  if (given === null || typeof given !== 'object' || Array.isArray(given)) {
    throw invalid(`must be true, false or an object, got ${JSON.stringify(retry)}`);
  }
  for (const key of Object.keys(given)) {
    if (!own(OPTIONS, key))
      throw misuse('ERR_ENVELOPE_UNKNOWN_OPTION', `retry: unknown option "${key}"; known options are ${Object.keys(OPTIONS).join(', ')}`);
  }
  const methods = given.methods ?? DEFAULT_METHODS;
  if (!Array.isArray(methods) || methods.some((method) => typeof method !== 'string' || !/^[A-Za-z]+$/.test(method))) {
    throw invalid('methods must be an array of method names');
  }
  const upper = methods.map((method: string) => method.toUpperCase());
  if (upper.includes('POST') || upper.includes('PATCH')) {
    throw invalid('POST and PATCH are retried only with an Idempotency-Key; set idempotencyKey instead of listing them in methods');
  }
  const statuses = given.statuses ?? DEFAULT_STATUSES;
  if (!Array.isArray(statuses) || statuses.some((status) => !Number.isInteger(status) || status < 400 || status > 599)) {
    throw invalid('statuses must be an array of HTTP statuses from 400 to 599');
  }
  return {
    limit: given.limit === undefined ? 2 : count('limit', given.limit, 0),
    methods: new Set(upper),
    statuses: new Set(statuses),
    maxDelayMs: given.maxDelayMs === undefined ? 30_000 : count('maxDelayMs', given.maxDelayMs, 0),
    deadlineMs: given.deadlineMs === undefined ? undefined : count('deadlineMs', given.deadlineMs, 0),
  };
}

/** The `catalog` option, checked once: its codes, and those it marks retryable or not. */
export function resolveCatalog(catalog: unknown): Map<string, boolean | undefined> | undefined {
  if (catalog === undefined) return undefined;
  const codes = (catalog as ClientCatalog | null)?.codes;
  if (catalog === null || typeof catalog !== 'object' || !Array.isArray(codes) || codes.some((code) => typeof code !== 'string')) {
    throw misuse(
      'ERR_ENVELOPE_INVALID_OPTION',
      'catalog must be an error catalog (defineErrors()) or an object with a "codes" array of strings',
    );
  }
  const definitions = (catalog as ClientCatalog).definitions as Record<string, { retryable?: unknown } | undefined> | undefined;
  const retryable = new Map<string, boolean | undefined>();
  for (const code of codes as readonly string[]) {
    const flag = definitions !== undefined && definitions !== null && own(definitions, code) ? definitions[code]?.retryable : undefined;
    retryable.set(code, typeof flag === 'boolean' ? flag : undefined);
  }
  return retryable;
}

/**
 * Whether a rejected fetch is worth another attempt: network failures are; the caller's abort is
 * not, nor a TypeError that is the calling code's mistake (an invalid URL) rather than the network's.
 */
export function isNetworkError(error: unknown): boolean {
  if (error === null || typeof error !== 'object') return false;
  const { name, message } = error as { name?: unknown; message?: unknown };
  if (name === 'AbortError') return false;
  if (error instanceof TypeError)
    return (
      typeof message === 'string' &&
      /fetch failed|failed to fetch|networkerror|network error|load failed|terminated|socket|econn/i.test(message)
    );
  return true;
}

/**
 * Whether an answer is worth another attempt: a status in `statuses`, or the envelope's
 * store-unavailable refusal. A catalog's `retryable` has the last word on its own codes. A
 * business error on a 2xx (`webServiceReturn`, `statusOk`) is final: the server did decide.
 */
export function isRetryableAnswer(
  policy: RetryPolicy,
  status: number,
  decoded: Decoded | undefined,
  catalog: Map<string, boolean | undefined> | undefined,
): boolean {
  if (status < 400) return false;
  const code = decoded !== undefined && !decoded.ok ? decoded.code : undefined;
  if (code !== undefined) {
    const flag = catalog?.get(code);
    if (flag !== undefined) return flag;
    if (STORE_UNAVAILABLE.has(code)) return true;
  }
  if (decoded?.ok) return false;
  return policy.statuses.has(status);
}

/**
 * How long to wait before retry number `retry` (1 for the first): at least what the server asked
 * for (`Retry-After`, the `RateLimit` reset), else exponential backoff with jitter (half of
 * 300 × 2^(retry−1) ms plus a random part up to the other half), capped by `maxDelayMs`. `undefined`
 * when the server asks for longer than `maxDelayMs`.
 */
export function retryDelay(
  policy: RetryPolicy,
  retry: number,
  headers: HeaderSource | undefined,
  now: number,
  random: number,
): number | undefined {
  const after = retryAfterMs(headerOf(headers, 'Retry-After', 'retry-after'), now);
  const reset = rateLimitResetMs(headers);
  if (after !== undefined || reset !== undefined) {
    const asked = Math.max(after ?? 0, reset ?? 0);
    return asked > policy.maxDelayMs ? undefined : asked;
  }
  const backoff = Math.min(policy.maxDelayMs, BASE_DELAY_MS * 2 ** Math.min(retry - 1, 30));
  return Math.round(backoff / 2 + (backoff / 2) * random);
}

/** What the caller's signal was aborted with, or an `AbortError` when it gave no reason. */
export function abortReason(signal: AbortSignalLike): unknown {
  if (signal.reason !== undefined) return signal.reason;
  return Object.assign(new Error('This operation was aborted'), { name: 'AbortError' });
}

/** The part of an `AbortSignal` the client uses. */
export interface AbortSignalLike {
  readonly aborted: boolean;
  readonly reason?: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/** The runtime's timers, read when used (the client's types know neither Node nor the DOM). */
const timers = globalThis as unknown as { setTimeout(callback: () => void, ms: number): unknown; clearTimeout(id: unknown): void };

/** Waits `ms`; an abort of `signal` ends the wait at once, rejecting with the signal's reason. */
export function sleep(ms: number, signal: AbortSignalLike | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the signal's own reason passes through, as fetch rejects with it
      reject(abortReason(signal));
      return;
    }
    const onAbort = (): void => {
      timers.clearTimeout(timer);
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the signal's own reason passes through, as fetch rejects with it
      reject(abortReason(signal as AbortSignalLike));
    };
    const timer = timers.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
