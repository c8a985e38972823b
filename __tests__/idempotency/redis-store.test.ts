// redisIdempotencyStore() against a scripted Redis (no Redis needed): the commands it sends, the
// key each goes with (for a cluster client), NOSCRIPT, WAIT, and how it reads odd replies. The same
// store against a real Redis is in redis.test.ts, against a Redis Cluster in cluster.test.ts.

import { createHash } from 'node:crypto';
import { EnvelopeError, type RunningRecord, type SendCommandClusterDetails, redisIdempotencyStore } from '../../index';

const lock: RunningRecord = { state: 'running', token: 't1', fingerprint: 'fp' };
const RESPONSE = { status: 201, headers: [] as Array<[string, string]>, body: '' };
const DONE = JSON.stringify({ state: 'done', fingerprint: 'fp', response: RESPONSE, token: 't1' });

/**
 * Runs the store's three scripts like Redis for one key space (found by what they do), forgets
 * loaded scripts on `flush()` (a restart or a failover), and records every command with its key.
 */
function fakeRedis(options: { replicas?: number } = {}) {
  const data = new Map<string, string>();
  const sent: SendCommandClusterDetails[] = [];
  const known = new Map<string, string>();
  const run = (source: string, key: string, args: string[]): unknown => {
    const held = data.get(key);
    if (source.includes("'PX', ARGV[2]")) {
      if (held === undefined) {
        data.set(key, args[0]);
        return 1;
      }
      return held === args[0] ? 1 : held;
    }
    if (source.includes("'PX', ARGV[3]")) {
      if (held === args[0]) {
        data.set(key, args[1]);
        return 1;
      }
      return held === args[1] ? 1 : 0;
    }
    if (held === args[0]) data.delete(key);
    return held === args[0] ? 1 : 0;
  };
  const sendCommandCluster = async (details: SendCommandClusterDetails): Promise<unknown> => {
    sent.push(details);
    const [command, ...rest] = details.command;
    if (command === 'EVAL') {
      known.set(createHash('sha1').update(rest[0]).digest('hex'), rest[0]);
      return run(rest[0], rest[2], rest.slice(3));
    }
    if (command === 'EVALSHA') {
      const source = known.get(rest[0]);
      if (source === undefined) throw new Error('NOSCRIPT No matching script. Please use EVAL.');
      return run(source, rest[2], rest.slice(3));
    }
    if (command === 'WAIT') return options.replicas ?? 0;
    throw new Error(`unexpected ${command}`);
  };
  return { data, sent, sendCommandCluster, flush: () => known.clear(), names: () => sent.map((d) => d.command[0]) };
}

describe('redisIdempotencyStore()', () => {
  it('claims, finishes and releases with scripts that check the token, sent by SHA and in full on NOSCRIPT', async () => {
    const redis = fakeRedis();
    const store = redisIdempotencyStore({
      sendCommand: (...command) => redis.sendCommandCluster({ isReadOnly: false, command }),
      prefix: 'p:',
    });
    expect(await store.claim('k', lock, 1000)).toBeNull();
    expect(redis.names()).toEqual(['EVALSHA', 'EVAL']); // the first time: NOSCRIPT, then in full
    expect(redis.sent[1].command.slice(2)).toEqual(['1', 'p:k', JSON.stringify(lock), '1000']);
    expect(await store.claim('k', { ...lock, token: 't2' }, 1000)).toEqual(lock);
    expect(await store.finish('k', { ...lock, token: 'intruder' }, RESPONSE, 5000)).toBe(false);
    expect(await store.finish('k', lock, RESPONSE, 5000)).toBe(true);
    expect(redis.data.get('p:k')).toBe(DONE);
    expect(await store.claim('k', { ...lock, token: 't2' }, 1000)).toEqual(JSON.parse(DONE));
    await store.release('k', lock);
    expect(redis.data.has('p:k')).toBe(true); // finished: no longer this run's lock
    await store.claim('r', lock, 1000);
    await store.release('r', lock);
    expect(redis.data.has('p:r')).toBe(false);
  });

  it('is safe to repeat: a claim re-sent by the client after a reconnect, and a finish sent twice, succeed', async () => {
    const redis = fakeRedis();
    // Every command lands twice; the caller sees the second reply (ioredis re-sends after a reconnect).
    const store = redisIdempotencyStore({
      sendCommandCluster: async (details) => (await redis.sendCommandCluster(details), redis.sendCommandCluster(details)),
    });
    expect(await store.claim('k', lock, 1000)).toBeNull();
    expect(await store.finish('k', lock, RESPONSE, 5000)).toBe(true);
    expect(redis.data.get('idempotency:k')).toBe(DONE);
  });

  it('sends every command with its key to the cluster client, and after a failover (NOSCRIPT) in full to the same key', async () => {
    const redis = fakeRedis({ replicas: 1 });
    const store = redisIdempotencyStore({ sendCommandCluster: redis.sendCommandCluster, waitReplicas: 1, waitTimeoutMs: 250 });
    await store.claim('k', lock, 1000);
    redis.flush();
    await store.finish('k', lock, RESPONSE, 5000);
    expect(
      redis.sent.map(({ key, isReadOnly, command }) => [
        key,
        isReadOnly,
        command[0],
        command[0] === 'WAIT' ? command.slice(1) : command[3],
      ]),
    ).toEqual([
      ['idempotency:k', false, 'EVALSHA', 'idempotency:k'],
      ['idempotency:k', false, 'EVAL', 'idempotency:k'],
      ['idempotency:k', false, 'WAIT', ['1', '250']],
      ['idempotency:k', false, 'EVALSHA', 'idempotency:k'],
      ['idempotency:k', false, 'EVAL', 'idempotency:k'],
      ['idempotency:k', false, 'WAIT', ['1', '250']],
    ]);
  });

  it('with waitReplicas, a claim or finish that fewer replicas acknowledged is a store failure', async () => {
    const redis = fakeRedis({ replicas: 0 });
    const store = redisIdempotencyStore({ sendCommandCluster: redis.sendCommandCluster, waitReplicas: 1, waitTimeoutMs: 100 });
    await expect(store.claim('k', lock, 1000)).rejects.toThrow('idempotency: the write reached 0 of 1 replicas within 100 ms');
    await expect(store.finish('k', lock, RESPONSE, 1000)).rejects.toThrow('idempotency: the write reached 0 of 1 replicas within 100 ms');
    const plain = fakeRedis();
    await redisIdempotencyStore({ sendCommandCluster: plain.sendCommandCluster }).claim('k', lock, 1000);
    expect(plain.names()).not.toContain('WAIT');
  });

  it('passes other errors on, without EVAL', async () => {
    const store = redisIdempotencyStore({ sendCommand: () => Promise.reject(new Error('CLUSTERDOWN The cluster is down')) });
    await expect(store.claim('k', lock, 1000)).rejects.toThrow('CLUSTERDOWN The cluster is down');
  });

  it('reads a value that is not JSON as a broken store reply', async () => {
    const store = redisIdempotencyStore({ sendCommand: async () => 'not json' });
    await expect(store.claim('k', lock, 1000)).rejects.toThrow('idempotency: the store answered a value in Redis that is not JSON');
    const buffer = redisIdempotencyStore({ sendCommand: async () => Buffer.from(DONE) });
    expect(await buffer.claim('k', lock, 1000)).toEqual(JSON.parse(DONE));
  });

  const nothing = async (): Promise<unknown> => null;
  it.each([
    [{}, 'redisIdempotencyStore(): sendCommand (or sendCommandCluster) must be a function'],
    [{ sendCommand: nothing, sendCommandCluster: nothing }, 'redisIdempotencyStore(): give sendCommand or sendCommandCluster, not both'],
    [{ sendCommand: 'redis' }, 'redisIdempotencyStore(): sendCommand must be a function'],
    [{ sendCommandCluster: {} }, 'redisIdempotencyStore(): sendCommandCluster must be a function'],
    [{ sendCommand: nothing, prefix: 1 }, 'redisIdempotencyStore(): prefix must be a string'],
    [{ sendCommand: nothing, waitReplicas: -1 }, 'redisIdempotencyStore(): waitReplicas must be a non-negative integer'],
    [{ sendCommand: nothing, waitTimeoutMs: 0 }, 'redisIdempotencyStore(): waitTimeoutMs must be a positive integer'],
  ])('refuses %p', (options, message) => {
    expect(() => redisIdempotencyStore(options as never)).toThrow(new EnvelopeError('ERR_ENVELOPE_INVALID_OPTION', message));
  });

  it('refuses an unknown option', () => {
    expect(() => redisIdempotencyStore({ sendCommand: async () => null, client: 1 } as never)).toThrow(
      expect.objectContaining({ code: 'ERR_ENVELOPE_UNKNOWN_OPTION' }),
    );
  });
});
