// idempotency(): safe retries with an Idempotency-Key header; refusals in the request's envelope
// (docs/guides/idempotency.md).

import { randomUUID } from 'node:crypto';
import createError from 'http-errors';
import { EnvelopeError } from '../lib/errors';
import { fingerprint, sha256 } from '../lib/idempotency/fingerprint';
import { parseIdempotencyKey } from '../lib/idempotency/key';
import { memoryIdempotencyStore } from '../lib/idempotency/memory-store';
import type { IdempotencyRecord, IdempotencyStore, RunningRecord, StoredResponse } from '../lib/idempotency/store';
import { StoreReplyError, checkClaimReply, checkFinishReply } from '../lib/idempotency/store-reply';
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
   * Who the key belongs to, so one client's key never replays another's response. It must return
   * a non-empty string at once (not a promise): anything else answers 500 and is logged. Defaults
   * to a SHA-256 of the `Authorization` header when present, else `req.ip`.
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
   * How long one store call may take before it counts as failed, so nothing hangs. Storing a
   * response is tried up to three times, within at most three times this. Defaults to `2000`.
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

/** What a 503 for a failing store asks the client to wait before retrying, in seconds. */
const STORE_RETRY_AFTER = '1';
/** The waits before the second and third attempt at storing a response. */
const FINISH_BACKOFF_MS = [50, 250];

function refusal(status: number, code: keyof typeof IDEMPOTENCY_MESSAGES, cause?: unknown): Error {
  const headers = status === 503 ? { headers: { 'Retry-After': STORE_RETRY_AFTER } } : {};
  return createError(status, IDEMPOTENCY_MESSAGES[code], {
    code,
    hard: true,
    expose: true,
    ...headers,
    ...(cause === undefined ? {} : { cause }),
  });
}

/** A short description of a value that is not what it should be, for a log line. */
function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (value instanceof Promise || (typeof value === 'object' && typeof (value as { then?: unknown }).then === 'function'))
    return 'a promise';
  return Array.isArray(value) ? 'an array' : typeof value === 'string' ? 'an empty string' : typeof value;
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

/** Calls a store method; a synchronous throw becomes a rejection. */
function call<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return Promise.resolve(operation());
  } catch (err) {
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the store's own throw passes through as is
    return Promise.reject(err);
  }
}

/** Rejects after `ms` unless `promise` settles first; the timer is cleared either way. */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`idempotency store did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
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

  /**
   * Stores the response of a claimed request when it ends (or releases the key), before it is
   * written. The client going away changes nothing: the lock follows the handler, so a retry gets
   * 409 while it runs and the replay once it has answered.
   */
  function record(req: EnvelopeRequest, res: EnvelopeResponse, key: string, lock: RunningRecord): void {
    const release = (status: number): Promise<void> =>
      withTimeout(
        call(() => store.release(key, lock)),
        storeTimeoutMs,
      ).then(
        () => undefined,
        (err: unknown) => note(req, res, status, 'store failed while releasing the key', err),
      );
    /** Tries to store the response three times; every attempt is safe to repeat (finish checks the token). */
    const finish = async (status: number, response: StoredResponse): Promise<void> => {
      let failure: unknown;
      for (let attempt = 0; attempt <= FINISH_BACKOFF_MS.length; attempt++) {
        if (attempt > 0) await delay(FINISH_BACKOFF_MS[attempt - 1]);
        try {
          const stored = checkFinishReply(
            await withTimeout(
              call(() => store.finish(key, lock, response, ttlMs)),
              storeTimeoutMs,
            ),
          );
          if (!stored)
            note(
              req,
              res,
              status,
              "response not stored: the store no longer held this request's lock (it expired: raise lockMs; or the store dropped it)",
            );
          return;
        } catch (err) {
          failure = err;
        }
      }
      // The handler ran: the key keeps its lock until lockMs, so a retry gets 409 until then rather
      // than run the handler again at once. The response is sent as it is.
      note(req, res, status, 'store failed while storing the response (3 attempts); the key stays locked until lockMs', failure);
    };
    captureResponse(res, ({ status, header, body }) => {
      if (body === undefined) {
        note(req, res, status, 'response not stored: it was streamed; the key is released');
        return release(status);
      }
      if (body.length > maxBodyBytes) {
        note(
          req,
          res,
          status,
          `response not stored: its body (${body.length} bytes) is above maxBodyBytes (${maxBodyBytes}); the key is released`,
        );
        return release(status);
      }
      if (status >= 500 && !storeServerErrors) return release(status);
      const headers: StoredResponse['headers'] = [];
      for (const name of kept) {
        const value = header(name);
        if (value !== undefined) headers.push([name, value]);
      }
      return finish(status, { status, headers, body: body.toString('base64') });
    });
  }

  /**
   * Claims `key` for this request. A claim that fails or times out may still land later: a
   * token-checked release follows it then (and at once), so it never leaves an orphan lock.
   */
  function claim(key: string, lock: RunningRecord): Promise<IdempotencyRecord | null> {
    const sent = call(() => store.claim(key, lock, lockMs));
    const undo = (): void => void call(() => store.release(key, lock)).catch(() => undefined);
    return withTimeout(sent, storeTimeoutMs)
      .then((reply) => {
        const existing = checkClaimReply(reply);
        // The same claim seen again (a client that re-sent it after a reconnect) is this request's.
        return existing?.state === 'running' && existing.token === lock.token ? null : existing;
      })
      .catch((err: unknown) => {
        undo();
        sent.then(undo, undo);
        throw err;
      });
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
    let scoped: unknown;
    try {
      scoped = scope(req);
    } catch (err) {
      next(err);
      return;
    }
    if (typeof scoped !== 'string' || scoped === '') {
      // Never one scope shared by every caller (as String() of a promise or of undefined would be).
      const error = createError(500, `idempotency(): scope() must return a non-empty string synchronously; it returned ${kindOf(scoped)}`);
      note(req, res, 500, `scope() returned ${kindOf(scoped)} instead of a non-empty string; the request is refused`);
      next(error);
      return;
    }
    const storeKey = `${sha256(scoped)}:${key}`;
    const target = req.originalUrl ?? req.url ?? '';
    const lock: RunningRecord = {
      state: 'running',
      token: randomUUID(),
      fingerprint: fingerprint(req.method ?? '', target, (req as { body?: unknown }).body),
    };
    const storeFailed = (err: unknown): void => {
      if (failOpen) {
        note(req, res, 503, 'store failed; the request runs without idempotency protection (failOpen)', err);
        next();
      } else {
        // A plain failure is logged by errorHandler() as any 5xx; a reply outside the store
        // contract is a bug in the store, worth its own line.
        if (err instanceof StoreReplyError) note(req, res, 503, 'the store broke its contract; the request is refused with 503', err);
        next(refusal(503, 'IDEMPOTENCY_STORE_UNAVAILABLE', err));
      }
    };
    claim(storeKey, lock)
      .then((existing) => {
        if (existing === null) {
          record(req, res, storeKey, lock);
          next();
        } else if (existing.fingerprint !== lock.fingerprint) {
          next(refusal(422, 'IDEMPOTENCY_KEY_MISMATCH'));
        } else if (existing.state === 'running') {
          next(refusal(409, 'IDEMPOTENCY_KEY_CONFLICT'));
        } else {
          try {
            replay(req, res, existing.response);
          } catch (err) {
            // Checked before, so only a header Node still refuses gets here, before anything was sent.
            if (res.headersSent) throw err;
            for (const name of res.getHeaderNames()) if (name !== 'x-request-id') res.removeHeader(name);
            next(refusal(503, 'IDEMPOTENCY_STORE_UNAVAILABLE', err));
            note(req, res, 503, 'the stored response cannot be replayed', err);
          }
        }
      }, storeFailed)
      .then(undefined, (err: unknown) => note(req, res, 500, 'unexpected failure', err));
  };
}

export type IdempotencyMiddleware = (req: EnvelopeRequest, res: EnvelopeResponse, next: NextFunction) => void;
