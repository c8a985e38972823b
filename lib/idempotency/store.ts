// What an idempotency store keeps per key, and the three operations idempotency() needs from it.

/** A response as the client received it, kept for replays. */
export interface StoredResponse {
  status: number;
  /** Header name (as configured) and value, in the order they are replayed. */
  headers: Array<[string, string | string[]]>;
  /** The body bytes, base64. */
  body: string;
}

/** A key whose first request is still running; `token` identifies that run's claim. */
export interface RunningRecord {
  state: 'running';
  token: string;
  fingerprint: string;
}

/** A key whose first request has finished and whose response is kept. */
export interface DoneRecord {
  state: 'done';
  fingerprint: string;
  response: StoredResponse;
}

export type IdempotencyRecord = RunningRecord | DoneRecord;

/**
 * Where idempotency() keeps its keys. Every method may reject (the store is down); idempotency()
 * puts a timeout on each call. `memoryIdempotencyStore()` and `redisIdempotencyStore()` are the
 * two built in.
 */
export interface IdempotencyStore {
  /**
   * Atomically: if nothing is kept under `key`, keep `lock` for `lockMs` and resolve `null` (the
   * caller runs the request); otherwise resolve what is kept.
   */
  claim(key: string, lock: RunningRecord, lockMs: number): Promise<IdempotencyRecord | null>;
  /**
   * Atomically: if `lock` still holds `key`, replace it by the finished response, kept for `ttlMs`,
   * and resolve `true`; otherwise (the lock expired) change nothing and resolve `false`.
   */
  finish(key: string, lock: RunningRecord, response: StoredResponse, ttlMs: number): Promise<boolean>;
  /** Atomically: if `lock` still holds `key`, drop it, so a retry may run. */
  release(key: string, lock: RunningRecord): Promise<void>;
}
