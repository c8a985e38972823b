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
  /**
   * The token of the run that stored it, so a `finish()` sent twice (a retry after a lost reply)
   * knows it already succeeded. Optional for custom stores.
   */
  token?: string;
}

export type IdempotencyRecord = RunningRecord | DoneRecord;

/**
 * Where idempotency() keeps its keys. Every method may reject (the store is down); idempotency()
 * puts a timeout on each call, and may call each one again with the same arguments (a retry after
 * a timeout or a lost reply), so each must be safe to repeat. `memoryIdempotencyStore()` and
 * `redisIdempotencyStore()` are the two built in.
 */
export interface IdempotencyStore {
  /**
   * Atomically: if nothing is kept under `key`, keep `lock` for `lockMs` and resolve `null` (the
   * caller runs the request); otherwise resolve what is kept. A kept record with `lock`'s own token
   * (the same claim sent twice) counts as claimed.
   */
  claim(key: string, lock: RunningRecord, lockMs: number): Promise<IdempotencyRecord | null>;
  /**
   * Atomically: if `lock` still holds `key`, replace it by the finished response (with `lock`'s
   * token), kept for `ttlMs`, and resolve `true`; resolve `true` as well when that response is
   * already kept (the same call sent twice); otherwise (the lock expired, or was dropped) change
   * nothing and resolve `false`.
   */
  finish(key: string, lock: RunningRecord, response: StoredResponse, ttlMs: number): Promise<boolean>;
  /** Atomically: if `lock` still holds `key`, drop it, so a retry may run. */
  release(key: string, lock: RunningRecord): Promise<void>;
}
