// redisIdempotencyStore(): keys shared by every instance through one Redis, a Sentinel-managed
// primary or a Redis Cluster (node-redis or ioredis), with an optional wait for replicas.

import { createHash } from 'node:crypto';
import { EnvelopeError } from '../errors';
import { checkOptions } from '../options';
import type { DoneRecord, IdempotencyRecord, IdempotencyStore, RunningRecord, StoredResponse } from './store';
import { StoreReplyError } from './store-reply';

/** Sends one Redis command (`'SET', key, …`) and resolves Redis's reply, as rate-limit-redis takes it. */
export type SendCommand = (...args: string[]) => Promise<unknown>;

/** One command for a cluster client: the key it is about (to pick the node), and the full command. */
export interface SendCommandClusterDetails {
  /** The key the command reads or writes; the client sends the command to the node serving it. */
  key?: string;
  /** Whether the command only reads. */
  isReadOnly: boolean;
  /** The whole command, name first: `['EVALSHA', sha, '1', key, …]`. */
  command: string[];
}

/** Sends one command to the node that serves `key`, as rate-limit-redis's `sendCommandCluster` takes it. */
export type SendCommandCluster = (details: SendCommandClusterDetails) => Promise<unknown>;

export interface RedisIdempotencyStoreOptions {
  /**
   * Sends a command through a client of one Redis (or of a Sentinel-managed primary). Give this or
   * `sendCommandCluster`, not both. Defaults to none.
   * @example
   * redisIdempotencyStore({ sendCommand: (...args) => client.sendCommand(args) })            // node-redis
   * redisIdempotencyStore({ sendCommand: (cmd, ...args) => redis.call(cmd, ...args) })       // ioredis
   */
  sendCommand?: SendCommand;
  /**
   * Sends a command through a Redis Cluster client, to the node that serves its `key`. Give this
   * or `sendCommand`, not both. Defaults to none.
   * @example
   * redisIdempotencyStore({ sendCommandCluster: ({ key, isReadOnly, command }) => cluster.sendCommand(key, isReadOnly, command) }) // node-redis
   * redisIdempotencyStore({ sendCommandCluster: ({ command: [cmd, ...args] }) => cluster.call(cmd, ...args) })                     // ioredis
   */
  sendCommandCluster?: SendCommandCluster;
  /**
   * Put before every key, so several apps can share one Redis. Defaults to `'idempotency:'`.
   * @example redisIdempotencyStore({ sendCommand, prefix: 'payments:idem:' })
   */
  prefix?: string;
  /**
   * After a claim and after storing a response, wait until this many replicas have them (Redis
   * `WAIT`); fewer within `waitTimeoutMs` is a store failure. `0` does not wait. Defaults to `0`.
   * @example redisIdempotencyStore({ sendCommand, waitReplicas: 1, waitTimeoutMs: 500 })
   */
  waitReplicas?: number;
  /**
   * How long one `WAIT` may take, in milliseconds (keep it below idempotency()'s `storeTimeoutMs`).
   * Defaults to `1000`.
   * @example redisIdempotencyStore({ sendCommand, waitReplicas: 1, waitTimeoutMs: 500 })
   */
  waitTimeoutMs?: number;
}

const KNOWN: Record<keyof RedisIdempotencyStoreOptions, true> = {
  sendCommand: true,
  sendCommandCluster: true,
  prefix: true,
  waitReplicas: true,
  waitTimeoutMs: true,
};

/** Claims the key unless it is held; answers 1 when claimed (or already claimed with this token), else the value held. */
const CLAIM = `local held = redis.call('GET', KEYS[1])
if not held then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
if held == ARGV[1] then return 1 end
return held`;

/** Writes the finished response if this run's lock still holds; 1 as well when that response is already there. */
const FINISH = `local held = redis.call('GET', KEYS[1])
if held == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
  return 1
end
if held == ARGV[2] then return 1 end
return 0`;

/** Drops the lock, only if this run's lock still holds (an expired lock may be another run's now). */
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`;

interface Script {
  source: string;
  sha: string;
}

function script(source: string): Script {
  return { source, sha: createHash('sha1').update(source).digest('hex') };
}

const SCRIPTS = { claim: script(CLAIM), finish: script(FINISH), release: script(RELEASE) };

function text(reply: unknown): string | null {
  if (reply === null || reply === undefined) return null;
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- any other reply (a string, a number) is read with String()
  return Buffer.isBuffer(reply) ? reply.toString('utf8') : String(reply);
}

function isNoScript(error: unknown): boolean {
  return error instanceof Error && /^NOSCRIPT\b/.test(error.message);
}

function parse(value: string): IdempotencyRecord {
  let record: unknown;
  try {
    record = JSON.parse(value);
  } catch {
    throw new StoreReplyError('a value in Redis that is not JSON');
  }
  return record as IdempotencyRecord; // checked by idempotency() before use
}

function invalid(message: string): never {
  throw new EnvelopeError('ERR_ENVELOPE_INVALID_OPTION', `redisIdempotencyStore(): ${message}`);
}

/**
 * Keeps idempotency keys in Redis, so every instance sees them. Claiming, finishing (store the
 * response, drop the lock) and releasing are each one Lua script, sent by SHA (`EVALSHA`) and
 * again in full (`EVAL`) to the same node when that node does not have it (`NOSCRIPT`, as after a
 * failover or a restart); each checks the claim's token, so sending one twice is harmless. With
 * `waitReplicas`, a claim and a finish count only once that many replicas have them. Values are
 * JSON; bodies are base64.
 * @example
 * const redis = new Redis(process.env.REDIS_URL, { enableOfflineQueue: false });
 * app.use(idempotency({ store: redisIdempotencyStore({ sendCommand: (cmd, ...args) => redis.call(cmd, ...args) }) }));
 */
export function redisIdempotencyStore(options: RedisIdempotencyStoreOptions = {}): IdempotencyStore {
  checkOptions('redisIdempotencyStore()', options, Object.keys(KNOWN));
  const { sendCommand, sendCommandCluster, prefix = 'idempotency:', waitReplicas = 0, waitTimeoutMs = 1000 } = options;
  if (sendCommand !== undefined && sendCommandCluster !== undefined) invalid('give sendCommand or sendCommandCluster, not both');
  if (sendCommand === undefined && sendCommandCluster === undefined) invalid('sendCommand (or sendCommandCluster) must be a function');
  if (sendCommand !== undefined && typeof sendCommand !== 'function') invalid('sendCommand must be a function');
  if (sendCommandCluster !== undefined && typeof sendCommandCluster !== 'function') invalid('sendCommandCluster must be a function');
  if (typeof prefix !== 'string') invalid('prefix must be a string');
  if (!Number.isInteger(waitReplicas) || waitReplicas < 0) invalid('waitReplicas must be a non-negative integer');
  if (!Number.isInteger(waitTimeoutMs) || waitTimeoutMs < 1) invalid('waitTimeoutMs must be a positive integer');
  const send: SendCommandCluster = sendCommandCluster ?? (({ command }) => (sendCommand as SendCommand)(...command));

  /** Runs a script on the node of `key`: by SHA, and in full on that node when it does not know it. */
  async function run(which: Script, key: string, args: string[]): Promise<unknown> {
    try {
      return await send({ key, isReadOnly: false, command: ['EVALSHA', which.sha, '1', key, ...args] });
    } catch (error) {
      if (!isNoScript(error)) throw error;
      return send({ key, isReadOnly: false, command: ['EVAL', which.source, '1', key, ...args] });
    }
  }

  /** Waits until `waitReplicas` replicas of the node of `key` have its writes; fewer is a failure. */
  async function replicated(key: string): Promise<void> {
    if (waitReplicas === 0) return;
    const reached = Number(await send({ key, isReadOnly: false, command: ['WAIT', String(waitReplicas), String(waitTimeoutMs)] }));
    if (!(reached >= waitReplicas)) {
      throw new Error(
        `idempotency: the write reached ${Number.isNaN(reached) ? 'an unknown number of' : reached} of ${waitReplicas} replicas within ${waitTimeoutMs} ms`,
      );
    }
  }

  return {
    async claim(key: string, lock: RunningRecord, lockMs: number) {
      const name = prefix + key;
      const held = text(await run(SCRIPTS.claim, name, [JSON.stringify(lock), String(lockMs)]));
      if (held === '1') {
        await replicated(name);
        return null;
      }
      if (held === null) throw new StoreReplyError('nothing to a claim');
      return parse(held);
    },
    async finish(key: string, lock: RunningRecord, response: StoredResponse, ttlMs: number) {
      const name = prefix + key;
      const done: DoneRecord = { state: 'done', fingerprint: lock.fingerprint, response, token: lock.token };
      const reply = await run(SCRIPTS.finish, name, [JSON.stringify(lock), JSON.stringify(done), String(ttlMs)]);
      if (Number(reply) !== 1) return false;
      await replicated(name);
      return true;
    },
    async release(key: string, lock: RunningRecord) {
      await run(SCRIPTS.release, prefix + key, [JSON.stringify(lock)]);
    },
  };
}
