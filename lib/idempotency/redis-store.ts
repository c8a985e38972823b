// redisIdempotencyStore(): keys shared by every instance through Redis (node-redis or ioredis).

import { EnvelopeError } from '../errors';
import { checkOptions } from '../options';
import type { IdempotencyRecord, IdempotencyStore, RunningRecord, StoredResponse } from './store';

/** Sends one Redis command (`'SET', key, …`) and resolves Redis's reply, as rate-limit-redis takes it. */
export type SendCommand = (...args: string[]) => Promise<unknown>;

export interface RedisIdempotencyStoreOptions {
  /**
   * Sends a command through your client. Required.
   * @example
   * redisIdempotencyStore({ sendCommand: (...args) => client.sendCommand(args) })            // node-redis
   * redisIdempotencyStore({ sendCommand: (cmd, ...args) => redis.call(cmd, ...args) })       // ioredis
   */
  sendCommand?: SendCommand;
  /**
   * Put before every key, so several apps can share one Redis. Defaults to `'idempotency:'`.
   * @example redisIdempotencyStore({ sendCommand, prefix: 'payments:idem:' })
   */
  prefix?: string;
}

const KNOWN: Record<keyof RedisIdempotencyStoreOptions, true> = { sendCommand: true, prefix: true };

/** Writes the finished response and drops the lock in one step, only if this run's lock still holds. */
const FINISH = `if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
  return 1
end
return 0`;

/** Drops the lock, only if this run's lock still holds (an expired lock may be another run's now). */
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`;

function text(reply: unknown): string | null {
  if (reply === null || reply === undefined) return null;
  return Buffer.isBuffer(reply) ? reply.toString('utf8') : String(reply);
}

function parse(value: string): IdempotencyRecord {
  const record = JSON.parse(value) as IdempotencyRecord;
  if (record === null || typeof record !== 'object' || (record.state !== 'running' && record.state !== 'done')) {
    throw new Error('idempotency: unreadable record in Redis');
  }
  return record;
}

/**
 * Keeps idempotency keys in Redis, so every instance sees them. The claim is one `SET key value NX
 * PX lockMs`; finishing (store the response, drop the lock) and releasing are Lua scripts that
 * first check the claim is still this run's. Values are JSON; bodies are base64.
 * @example
 * const redis = new Redis(process.env.REDIS_URL, { enableOfflineQueue: false });
 * app.use(idempotency({ store: redisIdempotencyStore({ sendCommand: (cmd, ...args) => redis.call(cmd, ...args) }) }));
 */
export function redisIdempotencyStore(options: RedisIdempotencyStoreOptions = {}): IdempotencyStore {
  checkOptions('redisIdempotencyStore()', options, Object.keys(KNOWN));
  const { sendCommand, prefix = 'idempotency:' } = options;
  if (typeof sendCommand !== 'function') {
    throw new EnvelopeError('ERR_ENVELOPE_INVALID_OPTION', 'redisIdempotencyStore(): sendCommand must be a function');
  }
  if (typeof prefix !== 'string') {
    throw new EnvelopeError('ERR_ENVELOPE_INVALID_OPTION', 'redisIdempotencyStore(): prefix must be a string');
  }
  const send = sendCommand;

  return {
    async claim(key: string, lock: RunningRecord, lockMs: number) {
      const name = prefix + key;
      // The key can expire between a refused SET and the GET: then claim again (twice at most).
      for (let attempt = 0; attempt < 3; attempt++) {
        if (text(await send('SET', name, JSON.stringify(lock), 'NX', 'PX', String(lockMs))) === 'OK') return null;
        const value = text(await send('GET', name));
        if (value !== null) return parse(value);
      }
      throw new Error('idempotency: the key kept changing while it was claimed');
    },
    async finish(key: string, lock: RunningRecord, response: StoredResponse, ttlMs: number) {
      const done: IdempotencyRecord = { state: 'done', fingerprint: lock.fingerprint, response };
      const reply = await send('EVAL', FINISH, '1', prefix + key, JSON.stringify(lock), JSON.stringify(done), String(ttlMs));
      return Number(reply) === 1;
    },
    async release(key: string, lock: RunningRecord) {
      await send('EVAL', RELEASE, '1', prefix + key, JSON.stringify(lock));
    },
  };
}
