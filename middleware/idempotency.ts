// idempotency(): safe retries with an Idempotency-Key header; refusals in the request's envelope
// (docs/guides/idempotency.md).

import { randomUUID } from 'node:crypto';
import createError from 'http-errors';
import { EnvelopeError } from '../lib/errors';
import { fingerprint, sha256 } from '../lib/idempotency/fingerprint';
import { parseIdempotencyKey } from '../lib/idempotency/key';
import { memoryIdempotencyStore } from '../lib/idempotency/memory-store';
import type { IdempotencyStore, RunningRecord, StoredResponse } from '../lib/idempotency/store';
import { checkOptions } from '../lib/options';
import { report, resolveLogger } from '../response/log';
import { requestIdOf } from '../response/request-id';
import { captureResponse } from '../response/capture';
import type { EnvelopeRequest, EnvelopeResponse, Logger, NextFunction } from '../response/types';

export interface IdempotencyOptions {
  /**
   * Where keys and stored responses are kept. Defaults to a `memoryIdempotencyStore()` of this
   * middleware (one instance only; use `redisIdempotencyStore()` for several).
   * @example idempotency({ store: redisIdempotencyStore({ sendCommand }) })
   */
  store?: IdempotencyStore;
  /**
   * The methods protected; others pass untouched. Defaults to `['POST', 'PATCH']`.
   * @example idempotency({ methods: ['POST', 'PUT', 'PATCH', 'DELETE'] })
   */
  methods?: string[];
  /**
   * The request header that carries the key. Defaults to `'Idempotency-Key'`.
   * @example idempotency({ header: 'X-Idempotency-Key' })
   */
  header?: string;
  /**
   * A protected request without a key is refused with 400 `IDEMPOTENCY_KEY_MISSING`.
   * Defaults to `false` (such a request runs unprotected).
   * @example app.post('/payments', idempotency({ required: true }), pay)
   */
  required?: boolean;
  /**
   * Who the key belongs to, so one client's key never replays another's response. Defaults to a
   * SHA-256 of the `Authorization` header when present, else `req.ip`.
   * @example idempotency({ scope: (req) => req.user.accountId })
   */
  scope?: (req: EnvelopeRequest) => string;
  /**
   * How long a claim holds while its request runs; after that a retry may run (the first instance
   * is assumed dead). Defaults to `60000` (one minute).
   * @example idempotency({ lockMs: 10_000 })
   */
  lockMs?: number;
  /**
   * How long a finished response is kept for replays. Defaults to `86400000` (24 hours).
   * @example idempotency({ ttlMs: 60 * 60 * 1000 })
   */
  ttlMs?: number;
  /**
   * Response headers stored and replayed besides `Content-Type`, `Location` and
   * `X-Content-Type-Options`. Defaults to `[]`.
   * @example idempotency({ replayHeaders: ['ETag', 'X-Payment-Id'] })
   */
  replayHeaders?: string[];
  /**
   * Store 5xx responses too (by default a 5xx releases the key, so a retry runs again).
   * Defaults to `false`.
   * @example idempotency({ storeServerErrors: true })
   */
  storeServerErrors?: boolean;
  /**
   * The largest body stored; a larger (or streamed) one is sent but not stored, the key is
   * released and a line is logged. Defaults to `1048576` (1 MB).
   * @example idempotency({ maxBodyBytes: 256 * 1024 })
   */
  maxBodyBytes?: number;
  /**
   * When the store fails, run the handler without protection (and log it) instead of refusing
   * with 503 `IDEMPOTENCY_STORE_UNAVAILABLE`. Defaults to `false`.
   * @example idempotency({ failOpen: true })
   */
  failOpen?: boolean;
  /**
   * How long one store call may take before it counts as failed, so nothing hangs.
   * Defaults to `2000`.
   * @example idempotency({ storeTimeoutMs: 500 })
   */
  storeTimeoutMs?: number;
  /**
   * Where store failures, fail-open runs and responses not stored are reported (with the request
   * id); `false` turns it off. Defaults to one line on stderr, as for `errorHandler()`.
   * @example idempotency({ log: ({ requestId, error }) => pino.warn({ requestId, err: error }) })
   */
  log?: Logger | false;
}

const KNOWN: Record<keyof IdempotencyOptions, true> = {
  store: true,
  methods: true,
  header: true,
  required: true,
  scope: true,
  lockMs: true,
  ttlMs: true,
  replayHeaders: true,
  storeServerErrors: true,
  maxBodyBytes: true,
  failOpen: true,
  storeTimeoutMs: true,
  log: true,
};

/** Headers every stored response keeps: what the client needs to read the body, and nosniff. */
const ALWAYS_REPLAYED = ['Content-Type', 'Location', 'X-Content-Type-Options'];
/** Headers never taken from a stored response: the new request's id, and framing Node sets itself. */
const NEVER_REPLAYED = new Set(['x-request-id', 'content-length', 'transfer-encoding', 'connection']);

export const IDEMPOTENCY_MESSAGES = {
  IDEMPOTENCY_KEY_MISSING: 'This request needs an Idempotency-Key header',
  IDEMPOTENCY_KEY_INVALID: 'The Idempotency-Key header must be 1 to 255 characters of A-Z a-z 0-9 - _ . : = + /',
  IDEMPOTENCY_KEY_CONFLICT: 'A request with this Idempotency-Key is still being processed; retry later',
  IDEMPOTENCY_KEY_MISMATCH: 'This Idempotency-Key was already used with a different request',
  IDEMPOTENCY_STORE_UNAVAILABLE: 'Idempotency keys cannot be checked right now; retry later',
} as const;

function refusal(status: number, code: keyof typeof IDEMPOTENCY_MESSAGES, cause?: unknown): Error {
  return createError(status, IDEMPOTENCY_MESSAGES[code], { code, hard: true, expose: true, ...(cause === undefined ? {} : { cause }) });
}

function invalid(message: string): never {
  throw new EnvelopeError('ERR_ENVELOPE_INVALID_OPTION', `idempotency(): ${message}`);
}

function positiveInteger(name: string, value: unknown): void {
  if (!Number.isInteger(value) || (value as number) < 1) invalid(`${name} must be a positive integer`);
}

/** The default scope: the caller's credentials (hashed, never kept as they are), else its address. */
function defaultScope(req: EnvelopeRequest): string {
  const authorization = req.headers.authorization;
  if (typeof authorization === 'string' && authorization !== '') return 'auth:' + sha256(authorization);
  return 'ip:' + ((req as EnvelopeRequest & { ip?: string }).ip ?? req.socket?.remoteAddress ?? '');
}

/** Rejects after `ms` unless `promise` settles first; the timer is cleared either way. */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`idempotency store did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Makes POST and PATCH requests that carry an `Idempotency-Key` safe to retry: the first request
 * with a key runs and its response is stored; a retry with the same key and payload gets that
 * response again (`Idempotent-Replayed: true`) without running the handler; a retry while the
 * first still runs gets 409, another payload with the same key 422. Mount it after the body parser
 * and before the routes, inside the envelope, with `errorHandler()` last.
 * @example
 * app.use(express.json());
 * app.use('/api', envelope('wispanel'), idempotency());
 */
export function idempotency(options: IdempotencyOptions = {}): IdempotencyMiddleware {
  checkOptions('idempotency()', options, Object.keys(KNOWN));
  const {
    store = memoryIdempotencyStore(),
    methods = ['POST', 'PATCH'],
    header = 'Idempotency-Key',
    required = false,
    scope = defaultScope,
    lockMs = 60_000,
    ttlMs = 86_400_000,
    replayHeaders = [],
    storeServerErrors = false,
    maxBodyBytes = 1_048_576,
    failOpen = false,
    storeTimeoutMs = 2000,
    log: logOption,
  } = options;
  if (!store || typeof store.claim !== 'function' || typeof store.finish !== 'function' || typeof store.release !== 'function') {
    invalid('store must have claim, finish and release methods');
  }
  if (!Array.isArray(methods) || !methods.every((m) => typeof m === 'string')) invalid('methods must be an array of strings');
  if (typeof header !== 'string' || header === '') invalid('header must be a non-empty string');
  if (typeof scope !== 'function') invalid('scope must be a function');
  if (!Array.isArray(replayHeaders) || !replayHeaders.every((h) => typeof h === 'string' && h !== '')) {
    invalid('replayHeaders must be an array of header names');
  }
  for (const [name, value] of Object.entries({ required, storeServerErrors, failOpen })) {
    if (typeof value !== 'boolean') invalid(`${name} must be a boolean`);
  }
  positiveInteger('lockMs', lockMs);
  positiveInteger('ttlMs', ttlMs);
  positiveInteger('storeTimeoutMs', storeTimeoutMs);
  if (!Number.isInteger(maxBodyBytes) || maxBodyBytes < 0) invalid('maxBodyBytes must be a non-negative integer');
  const log = resolveLogger('idempotency()', logOption);
  const protectedMethods = new Set(methods.map((m) => m.toUpperCase()));
  const headerName = header.toLowerCase();
  const kept = [...ALWAYS_REPLAYED, ...replayHeaders.filter((name) => !NEVER_REPLAYED.has(name.toLowerCase()))];

  function note(req: EnvelopeRequest, res: EnvelopeResponse, status: number, message: string, cause?: unknown): void {
    report(log, req, requestIdOf(req, res), status, new Error(`idempotency: ${message}`, cause === undefined ? undefined : { cause }));
  }

  /** Sends a stored response as it was, with the new request's id and Idempotent-Replayed. */
  function replay(req: EnvelopeRequest, res: EnvelopeResponse, stored: StoredResponse): void {
    requestIdOf(req, res);
    res.statusCode = stored.status;
    for (const [name, value] of stored.headers) res.setHeader(name, value);
    res.setHeader('Idempotent-Replayed', 'true');
    res.end(Buffer.from(stored.body, 'base64'));
  }

  /** Stores the response of a claimed request when it ends (or releases the key), before it is written. */
  function record(req: EnvelopeRequest, res: EnvelopeResponse, key: string, lock: RunningRecord): void {
    const settle = (operation: Promise<unknown>, status: number, what: string): Promise<void> =>
      withTimeout(operation, storeTimeoutMs).then(
        (result) => {
          if (result === false) note(req, res, status, 'response not stored: the lock expired before the request finished (raise lockMs)');
        },
        (err: unknown) => note(req, res, status, `store failed while ${what}`, err),
      );
    const release = (status: number): Promise<void> => settle(store.release(key, lock), status, 'releasing the key');
    captureResponse(
      res,
      ({ status, header, body }) => {
        if (body === undefined) {
          note(req, res, status, 'response not stored: it was streamed; the key is released');
          return release(status);
        }
        if (body.length > maxBodyBytes) {
          note(req, res, status, `response not stored: its body (${body.length} bytes) is above maxBodyBytes (${maxBodyBytes}); the key is released`);
          return release(status);
        }
        if (status >= 500 && !storeServerErrors) return release(status);
        const headers: StoredResponse['headers'] = [];
        for (const name of kept) {
          const value = header(name);
          if (value !== undefined) headers.push([name, value]);
        }
        return settle(store.finish(key, lock, { status, headers, body: body.toString('base64') }, ttlMs), status, 'storing the response');
      },
      () => void release(res.statusCode),
    );
  }

  return function idempotency(req: EnvelopeRequest, res: EnvelopeResponse, next: NextFunction): void {
    if (!protectedMethods.has((req.method ?? '').toUpperCase())) {
      next();
      return;
    }
    const raw = req.headers[headerName];
    if (raw === undefined) {
      next(required ? refusal(400, 'IDEMPOTENCY_KEY_MISSING') : undefined);
      return;
    }
    const key = parseIdempotencyKey(raw);
    if (key === undefined) {
      next(refusal(400, 'IDEMPOTENCY_KEY_INVALID'));
      return;
    }
    let storeKey: string;
    try {
      storeKey = `${sha256(String(scope(req)))}:${key}`;
    } catch (err) {
      next(err);
      return;
    }
    const target = req.originalUrl ?? req.url ?? '';
    const lock: RunningRecord = { state: 'running', token: randomUUID(), fingerprint: fingerprint(req.method ?? '', target, (req as { body?: unknown }).body) };
    let claim: Promise<Awaited<ReturnType<IdempotencyStore['claim']>>>;
    try {
      claim = withTimeout(store.claim(storeKey, lock, lockMs), storeTimeoutMs);
    } catch (err) {
      claim = Promise.reject(err);
    }
    claim.then(
      (existing) => {
        if (existing === null) {
          record(req, res, storeKey, lock);
          next();
        } else if (existing.fingerprint !== lock.fingerprint) {
          next(refusal(422, 'IDEMPOTENCY_KEY_MISMATCH'));
        } else if (existing.state === 'running') {
          next(refusal(409, 'IDEMPOTENCY_KEY_CONFLICT'));
        } else {
          replay(req, res, existing.response);
        }
      },
      (err: unknown) => {
        if (failOpen) {
          note(req, res, 503, 'store failed; the request runs without idempotency protection (failOpen)', err);
          next();
        } else {
          next(refusal(503, 'IDEMPOTENCY_STORE_UNAVAILABLE', err));
        }
      },
    ).then(undefined, (err: unknown) => note(req, res, 500, 'unexpected failure', err));
  };
}

export type IdempotencyMiddleware = (req: EnvelopeRequest, res: EnvelopeResponse, next: NextFunction) => void;
