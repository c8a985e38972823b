// envelopeFetch(): fetch, read the text and headers, decode; and, when asked, retry what is safe.

import { EnvelopeDecodeError, misuse } from './errors';
import { decodeText, readerOf } from './decode';
import {
  type AbortSignalLike,
  type ClientCatalog,
  abortReason,
  isNetworkError,
  isRetryableAnswer,
  resolveCatalog,
  resolveRetry,
  retryDelay,
  type RetryOptions,
  type RetryPolicy,
  sleep,
} from './retry';
import type { ClientFormat, ClientPreset, Decoded, DecodeOptions, HeaderSource } from './types';

type FetchResponse = { status: number; headers: { get(name: string): string | null }; text(): Promise<string> };
type FetchLike = (input: never, init?: never) => Promise<FetchResponse>;

export interface EnvelopeFetchOptions<C extends string = string> extends DecodeOptions {
  /**
   * The fetch to call: a wrapped one, a test double, undici's, ky with `throwHttpErrors: false`.
   * Defaults to the global `fetch`.
   * @example envelopeFetch('jsend', { fetch: myFetch })
   */
  fetch?: FetchLike;
  /**
   * Retries what is safe to send again: network errors, 408, 429, 502, 503, 504 and the envelope's
   * store-unavailable refusals, for GET, HEAD, OPTIONS, PUT and DELETE, and for POST and PATCH only
   * with an `Idempotency-Key`. `true` takes every default. Defaults to `false` (one attempt).
   * @example envelopeFetch('problem', { retry: { limit: 3, deadlineMs: 20000 } })
   */
  retry?: boolean | RetryOptions;
  /**
   * The `Idempotency-Key` of POST and PATCH requests: `'auto'` makes one per call
   * (`crypto.randomUUID()`), a string is sent as given; every attempt of a call sends the same key.
   * A key the call's own headers carry is kept. Defaults to none.
   * @example envelopeFetch('problem', { retry: true, idempotencyKey: 'auto' })
   */
  idempotencyKey?: 'auto' | (string & {});
  /**
   * The API's error catalog: its codes type `code` (a misspelled code does not compile), and its
   * `retryable` flags decide retries of those codes. Defaults to none (`code` is any string).
   * @example envelopeFetch('problem', { catalog: errors })
   */
  catalog?: ClientCatalog<C>;
}

/** What fetch takes first: a URL string, a `URL`, or a `Request`. */
export type FetchInput = string | { readonly href: string } | { readonly url: string };

/** What `envelopeFetch()` returns: fetch's arguments in, a decoded response out. */
export type EnvelopeFetch<C extends string = string> = <T = unknown>(input: FetchInput, init?: object) => Promise<Decoded<T, C>>;

const OPTIONS: Record<keyof Omit<EnvelopeFetchOptions, keyof DecodeOptions>, true> = {
  fetch: true,
  retry: true,
  idempotencyKey: true,
  catalog: true,
};
/** The methods whose retries need a key, and to which `idempotencyKey` adds one. */
const KEYED = new Set(['POST', 'PATCH']);
const KEY_HEADER = 'Idempotency-Key';
/** What the server's idempotency() accepts as a key. */
const KEY = /^[A-Za-z0-9\-_.:=+/]{1,255}$/;

type Init = Record<string, unknown> & { method?: unknown; headers?: unknown; body?: unknown; signal?: AbortSignalLike | null };
type RequestLike = {
  url: string;
  method?: string;
  headers?: { get(name: string): string | null; set(name: string, value: string): void };
  signal?: AbortSignalLike;
  clone(): RequestLike;
  body?: unknown;
};

const isRequest = (input: unknown): input is RequestLike =>
  input !== null &&
  typeof input === 'object' &&
  typeof (input as RequestLike).url === 'string' &&
  typeof (input as RequestLike).clone === 'function';

/** The key among headers given as a `Headers`, an array of pairs or a record. */
function keyIn(headers: unknown): string | undefined {
  if (headers === undefined || headers === null || typeof headers !== 'object') return undefined;
  if (typeof (headers as { get?: unknown }).get === 'function')
    return (headers as { get(name: string): string | null }).get(KEY_HEADER) ?? undefined;
  const pairs = Array.isArray(headers) ? (headers as [string, string][]) : Object.entries(headers);
  const found = pairs.find((pair) => Array.isArray(pair) && typeof pair[0] === 'string' && pair[0].toLowerCase() === 'idempotency-key');
  return found === undefined ? undefined : String(found[1]);
}

/** Headers of the same kind as given, with the key added. */
function withKey(headers: unknown, key: string): unknown {
  if (headers === undefined || headers === null) return { [KEY_HEADER]: key };
  if (typeof (headers as { get?: unknown }).get === 'function') {
    const HeadersClass = (globalThis as { Headers?: new (init: unknown) => { set(name: string, value: string): void } }).Headers;
    if (HeadersClass !== undefined && headers instanceof HeadersClass) {
      const copy = new HeadersClass(headers);
      copy.set(KEY_HEADER, key);
      return copy;
    }
  }
  if (Array.isArray(headers)) return [...(headers as unknown[]), [KEY_HEADER, key]];
  return { ...headers, [KEY_HEADER]: key };
}

/** A body that can be read only once (a stream): such a request is never sent twice. */
function isStream(body: unknown): boolean {
  if (body === null || typeof body !== 'object') return false;
  return (
    typeof (body as { getReader?: unknown }).getReader === 'function' ||
    typeof (body as { pipe?: unknown }).pipe === 'function' ||
    (Symbol.asyncIterator in body && !(typeof (body as { arrayBuffer?: unknown }).arrayBuffer === 'function'))
  );
}

/** One call, ready to be sent as many times as the policy allows. */
interface Call {
  method: string;
  /** Sent again only when its method is retried or it carries a key, and its body can be read again. */
  resendable: boolean;
  keyed: boolean;
  signal: AbortSignalLike | undefined;
  /** fetch's arguments for one attempt (a `Request` input is cloned each time, so its body is there each time). */
  args(): [unknown, unknown];
}

function prepare(input: unknown, init: Init | undefined, key: string | undefined, policy: RetryPolicy | undefined): Call {
  const request = isRequest(input) ? input : undefined;
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- a method of any type is converted with String(), as fetch converts it
  const method = String(init?.method ?? request?.method ?? 'GET').toUpperCase();
  const signal = init?.signal ?? request?.signal ?? undefined;
  const given = keyIn(init?.headers) ?? (init?.headers === undefined ? (request?.headers?.get(KEY_HEADER) ?? undefined) : undefined);
  let send: () => [unknown, unknown] = () => [input, init];
  if (given === undefined && key !== undefined && KEYED.has(method)) {
    if (request !== undefined && init?.headers === undefined) {
      send = () => {
        const copy = request.clone();
        copy.headers?.set(KEY_HEADER, key);
        return [copy, init];
      };
    } else {
      const keyed = { ...init, headers: withKey(init?.headers, key) };
      send = () => [request?.clone() ?? input, keyed];
    }
  } else if (request !== undefined && policy !== undefined) {
    send = () => [request.clone(), init];
  }
  const keyed = given !== undefined || (key !== undefined && KEYED.has(method));
  const body = init?.body ?? request?.body;
  const resendable = policy !== undefined && (keyed || policy.methods.has(method)) && (request !== undefined || !isStream(body));
  return { method, resendable, keyed, signal, args: send };
}

/** One attempt: a decoded answer, an answer that did not decode, or a network failure. */
type Attempt =
  | { decoded: Decoded; status: number; headers: HeaderSource }
  | { error: unknown; status: number; headers: HeaderSource }
  | { error: unknown; status: undefined; headers: undefined };

/**
 * A fetch that answers decoded responses. Network errors reject as fetch's own do; a body that does
 * not fit the preset rejects with `EnvelopeDecodeError`. With `retry`, what is safe to send again is
 * sent again (see `RetryOptions`), and `attempts` says how many requests the result took.
 *
 * @example
 * const api = envelopeFetch('wispanel', { variant: 'portal' });
 * const result = await api('https://example.com/api/v1/admin/versions');
 */
export function envelopeFetch<C extends string = string>(
  preset: ClientPreset | ClientFormat,
  options: EnvelopeFetchOptions<C> = {},
): EnvelopeFetch<C> {
  if (options === null || typeof options !== 'object' || Array.isArray(options))
    throw misuse('ERR_ENVELOPE_INVALID_OPTION', 'the options must be an object');
  const decodeOptions: DecodeOptions = {};
  for (const key of Object.keys(options)) {
    if (!Object.prototype.hasOwnProperty.call(OPTIONS, key))
      (decodeOptions as Record<string, unknown>)[key] = (options as Record<string, unknown>)[key];
  }
  readerOf(preset, decodeOptions);
  const { fetch: given, idempotencyKey } = options;
  if (given !== undefined && typeof given !== 'function')
    throw misuse('ERR_ENVELOPE_INVALID_OPTION', 'the option "fetch" must be a function');
  const policy = resolveRetry(options.retry);
  const catalog = resolveCatalog(options.catalog);
  const randomUUID = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto?.randomUUID;
  if (idempotencyKey !== undefined && idempotencyKey !== 'auto' && (typeof idempotencyKey !== 'string' || !KEY.test(idempotencyKey))) {
    throw misuse('ERR_ENVELOPE_INVALID_OPTION', 'idempotencyKey must be "auto" or 1 to 255 characters of A-Z a-z 0-9 - _ . : = + /');
  }
  if (idempotencyKey === 'auto' && typeof randomUUID !== 'function') {
    throw misuse(
      'ERR_ENVELOPE_INVALID_OPTION',
      'idempotencyKey "auto" needs crypto.randomUUID(), which this runtime lacks; pass a key instead',
    );
  }

  async function attempt(call: (input: unknown, init?: unknown) => Promise<FetchResponse>, args: [unknown, unknown]): Promise<Attempt> {
    let response: FetchResponse;
    let text: string;
    try {
      response = await call(args[0], args[1]);
      text = await response.text();
    } catch (error) {
      return { error, status: undefined, headers: undefined };
    }
    try {
      return {
        decoded: decodeText(preset, response.status, text, response.headers, decodeOptions),
        status: response.status,
        headers: response.headers,
      };
    } catch (error) {
      return { error, status: response.status, headers: response.headers };
    }
  }

  return async function envelopeFetched<T = unknown>(input: FetchInput, init?: object): Promise<Decoded<T, C>> {
    const call = (given ?? (globalThis as { fetch?: unknown }).fetch) as (input: unknown, init?: unknown) => Promise<FetchResponse>;
    if (typeof call !== 'function') throw misuse('ERR_ENVELOPE_INVALID_OPTION', 'no global fetch here; pass one as the option "fetch"');
    const key = idempotencyKey === 'auto' ? (randomUUID as () => string).call((globalThis as { crypto?: unknown }).crypto) : idempotencyKey;
    const prepared = prepare(input, init as Init | undefined, key, policy);
    const started = Date.now();
    for (let attempts = 1; ; attempts++) {
      const result = await attempt(call, prepared.args());
      const { signal } = prepared;
      if (signal?.aborted) throw abortReason(signal);
      let again = policy !== undefined && prepared.resendable && attempts <= policy.limit;
      if (again) {
        again =
          'decoded' in result
            ? isRetryableAnswer(policy as RetryPolicy, result.status, result.decoded, catalog)
            : result.status === undefined
              ? isNetworkError(result.error)
              : result.error instanceof EnvelopeDecodeError && (policy as RetryPolicy).statuses.has(result.status);
      }
      const wait = again ? retryDelay(policy as RetryPolicy, attempts, result.headers, Date.now(), Math.random()) : undefined;
      const deadline = policy?.deadlineMs === undefined ? Infinity : started + policy.deadlineMs;
      if (wait === undefined || Date.now() + wait >= deadline) {
        if ('error' in result) throw result.error;
        if (policy !== undefined) result.decoded.attempts = attempts;
        return result.decoded as Decoded<T, C>;
      }
      await sleep(wait, signal);
    }
  };
}
