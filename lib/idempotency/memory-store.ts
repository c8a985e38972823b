// memoryIdempotencyStore(): the default store, for one instance, bounded in keys and in bytes.

import { LRUCache } from 'lru-cache';
import { EnvelopeError } from '../errors';
import { checkOptions } from '../options';
import type { DoneRecord, IdempotencyRecord, IdempotencyStore, RunningRecord, StoredResponse } from './store';

export interface MemoryIdempotencyStoreOptions {
  /**
   * The most keys kept (running claims and stored responses together). Defaults to `10000`.
   * @example memoryIdempotencyStore({ maxKeys: 50_000 })
   */
  maxKeys?: number;
  /**
   * The most bytes kept, counting each stored response's body, headers and key (an estimate of
   * what they hold in memory). Defaults to `67108864` (64 MiB).
   * @example memoryIdempotencyStore({ maxBytes: 256 * 1024 * 1024 })
   */
  maxBytes?: number;
}

const KNOWN: Record<keyof MemoryIdempotencyStoreOptions, true> = { maxKeys: true, maxBytes: true };

/** What one kept key costs beyond its strings: the entry, the record objects, the cache's slots. */
const ENTRY_OVERHEAD = 320;
const SENTINEL = '';

interface Entry<R extends IdempotencyRecord> {
  record: R;
  expiresAt: number;
  size: number;
}

function positiveInteger(name: string, value: unknown): void {
  if (!Number.isInteger(value) || (value as number) < 1) {
    throw new EnvelopeError('ERR_ENVELOPE_INVALID_OPTION', `memoryIdempotencyStore(): ${name} must be a positive integer`);
  }
}

/** Bytes a string holds: one per character for Latin-1 text (base64, JSON of ASCII), else two. */
function stringBytes(text: string): number {
  // eslint-disable-next-line no-control-regex
  return /^[\x00-\xff]*$/.test(text) ? text.length : text.length * 2;
}

function responseBytes(response: StoredResponse): number {
  let bytes = stringBytes(response.body);
  for (const [name, value] of response.headers) {
    bytes += stringBytes(name) + 16;
    for (const item of Array.isArray(value) ? value : [value]) bytes += stringBytes(item) + 16;
  }
  return bytes;
}

/**
 * Keeps idempotency keys in this process's memory, for one instance (several instances need
 * `redisIdempotencyStore()`). Both bounds hold at once: past `maxKeys` keys or `maxBytes` bytes,
 * stored responses are dropped first, least recently used (written or replayed) first, each in
 * constant time; a running claim is never dropped before its lock expires, so when the store is
 * full of running claims a new claim fails (a store failure: 503) rather than let a retry run
 * beside its first request. Entries expire after their lock or TTL, checked on access.
 * @example app.use(idempotency({ store: memoryIdempotencyStore({ maxKeys: 50_000, maxBytes: 128 * 1024 * 1024 }) }));
 */
export function memoryIdempotencyStore(options: MemoryIdempotencyStoreOptions = {}): IdempotencyStore {
  checkOptions('memoryIdempotencyStore()', options, Object.keys(KNOWN));
  const { maxKeys = 10_000, maxBytes = 64 * 1024 * 1024 } = options;
  positiveInteger('maxKeys', maxKeys);
  positiveInteger('maxBytes', maxBytes);
  // Two caches, so stored responses can be evicted before running claims; the bounds are checked
  // over both (makeRoom), each cache's own bound being only a backstop. Each keeps one entry for
  // ever under SENTINEL (no store key is empty), the least recently used one, never read: lru-cache
  // empties its arrays (a cost in maxKeys) when its last entry is deleted, and so never does here.
  const cache = <R extends IdempotencyRecord>() => {
    const lru = new LRUCache<string, Entry<R>>({
      max: maxKeys + 1,
      maxSize: maxBytes + 1,
      sizeCalculation: (entry) => Math.max(1, entry.size),
    });
    lru.set(SENTINEL, { record: undefined as unknown as R, expiresAt: Infinity, size: 1 });
    return lru;
  };
  const done = cache<DoneRecord>();
  const running = cache<RunningRecord>();
  /** The least recently used real key of a cache (the sentinel always comes first). */
  const oldest = <R extends IdempotencyRecord>(lru: LRUCache<string, Entry<R>>): string | undefined => {
    const keys = lru.rkeys();
    keys.next();
    const next = keys.next();
    return next.done ? undefined : next.value;
  };
  const keys = (): number => done.size + running.size - 2;
  const bytes = (): number => done.calculatedSize + running.calculatedSize - 2;

  function expired(entry: Entry<IdempotencyRecord>): boolean {
    return entry.expiresAt <= Date.now();
  }

  /** The live entry of a key; a replayed response becomes the most recently used. */
  function live(key: string): Entry<IdempotencyRecord> | undefined {
    const entry: Entry<IdempotencyRecord> | undefined = running.peek(key) ?? done.get(key);
    if (entry && expired(entry)) {
      running.delete(key);
      done.delete(key);
      return undefined;
    }
    return entry;
  }

  /** Evicts until one more entry of `size` bytes fits: stored responses first, then expired claims. */
  function makeRoom(size: number): boolean {
    while (keys() + 1 > maxKeys || bytes() + size > maxBytes) {
      const response = oldest(done);
      if (response !== undefined) {
        done.delete(response);
        continue;
      }
      const claim = oldest(running);
      const entry = claim === undefined ? undefined : running.peek(claim);
      if (claim === undefined || !entry || !expired(entry)) return false;
      running.delete(claim);
    }
    return true;
  }

  function holds(key: string, lock: RunningRecord): boolean {
    const record = live(key)?.record;
    return record?.state === 'running' && record.token === lock.token;
  }

  return {
    // The three stay async (no await): a throw, such as a full store, then rejects as the Store contract expects.
    // eslint-disable-next-line @typescript-eslint/require-await -- see above
    async claim(key: string, lock: RunningRecord, lockMs: number) {
      const entry = live(key);
      if (entry) return entry.record.state === 'running' && entry.record.token === lock.token ? null : entry.record;
      const size = ENTRY_OVERHEAD + key.length + lock.token.length + lock.fingerprint.length;
      if (!makeRoom(size)) throw new Error('idempotency: the memory store is full of running claims (raise maxKeys or maxBytes)');
      running.set(key, { record: { ...lock }, expiresAt: Date.now() + lockMs, size });
      return null;
    },
    // eslint-disable-next-line @typescript-eslint/require-await -- see above
    async finish(key: string, lock: RunningRecord, response: StoredResponse, ttlMs: number) {
      const entry = live(key);
      if (entry?.record.state === 'done' && entry.record.token === lock.token) return true;
      if (!holds(key, lock)) return false;
      running.delete(key);
      const record: DoneRecord = { state: 'done', fingerprint: lock.fingerprint, response, token: lock.token };
      const size = ENTRY_OVERHEAD + key.length + lock.token.length + lock.fingerprint.length + responseBytes(response);
      // A response that can never fit is not kept: the key is free again, as for a body above maxBodyBytes.
      if (size > maxBytes || !makeRoom(size)) return false;
      done.set(key, { record, expiresAt: Date.now() + ttlMs, size });
      return true;
    },
    // eslint-disable-next-line @typescript-eslint/require-await -- see above
    async release(key: string, lock: RunningRecord) {
      if (holds(key, lock)) running.delete(key);
    },
  };
}
