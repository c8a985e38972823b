// memoryIdempotencyStore(): the default store, bounded, for one instance.

import { EnvelopeError } from '../errors';
import { checkOptions } from '../options';
import type { IdempotencyRecord, IdempotencyStore, RunningRecord, StoredResponse } from './store';

export interface MemoryIdempotencyStoreOptions {
  /**
   * The most keys kept; past it the oldest (least recently written) is dropped. Defaults to `10000`.
   * @example memoryIdempotencyStore({ maxKeys: 50_000 })
   */
  maxKeys?: number;
}

const KNOWN: Record<keyof MemoryIdempotencyStoreOptions, true> = { maxKeys: true };

interface Entry {
  record: IdempotencyRecord;
  expiresAt: number;
}

/**
 * Keeps idempotency keys in this process's memory: at most `maxKeys`, the oldest dropped first,
 * each expiring after its lock or TTL (checked on access, so no timer is left running). For one
 * instance; several instances need `redisIdempotencyStore()`.
 * @example app.use(idempotency({ store: memoryIdempotencyStore({ maxKeys: 50_000 }) }));
 */
export function memoryIdempotencyStore(options: MemoryIdempotencyStoreOptions = {}): IdempotencyStore {
  checkOptions('memoryIdempotencyStore()', options, Object.keys(KNOWN));
  const { maxKeys = 10_000 } = options;
  if (!Number.isInteger(maxKeys) || maxKeys < 1) {
    throw new EnvelopeError('ERR_ENVELOPE_INVALID_OPTION', 'memoryIdempotencyStore(): maxKeys must be a positive integer');
  }
  // A Map iterates in insertion order: re-inserting on every write keeps the oldest first.
  const entries = new Map<string, Entry>();

  function live(key: string): Entry | undefined {
    const entry = entries.get(key);
    if (entry && entry.expiresAt <= Date.now()) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  }

  function put(key: string, record: IdempotencyRecord, ms: number): void {
    entries.delete(key);
    entries.set(key, { record, expiresAt: Date.now() + ms });
    while (entries.size > maxKeys) entries.delete(entries.keys().next().value as string);
  }

  function holds(key: string, lock: RunningRecord): boolean {
    const record = live(key)?.record;
    return record?.state === 'running' && record.token === lock.token;
  }

  return {
    async claim(key: string, lock: RunningRecord, lockMs: number) {
      const entry = live(key);
      if (entry) return entry.record;
      put(key, { ...lock }, lockMs);
      return null;
    },
    async finish(key: string, lock: RunningRecord, response: StoredResponse, ttlMs: number) {
      if (!holds(key, lock)) return false;
      put(key, { state: 'done', fingerprint: lock.fingerprint, response }, ttlMs);
      return true;
    },
    async release(key: string, lock: RunningRecord) {
      if (holds(key, lock)) entries.delete(key);
    },
  };
}
