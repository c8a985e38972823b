// redisIdempotencyStore() against a scripted sendCommand (no Redis needed): the commands it sends,
// and how it reads odd replies. The same store against a real Redis is in redis.test.ts.

import { EnvelopeError, type RunningRecord, redisIdempotencyStore } from '../../index';

const lock: RunningRecord = { state: 'running', token: 't1', fingerprint: 'fp' };
const RESPONSE = { status: 201, headers: [] as Array<[string, string]>, body: '' };

/** Answers SET NX / GET / EVAL like Redis for one key space, and records every command. */
function fakeRedis() {
  const data = new Map<string, string>();
  const sent: string[][] = [];
  const sendCommand = async (...args: string[]): Promise<unknown> => {
    sent.push(args);
    const [command, ...rest] = args;
    if (command === 'SET') {
      if (data.has(rest[0])) return null;
      data.set(rest[0], rest[1]);
      return 'OK';
    }
    if (command === 'GET') return data.has(rest[0]) ? Buffer.from(data.get(rest[0]) as string) : null;
    if (command === 'EVAL') {
      const [script, , key, expected, value] = rest;
      if (data.get(key) !== expected) return 0;
      if (script.includes("'DEL'")) data.delete(key);
      else data.set(key, value);
      return 1;
    }
    throw new Error(`unexpected ${command}`);
  };
  return { data, sent, sendCommand };
}

describe('redisIdempotencyStore()', () => {
  it('claims with one SET NX PX, finishes and releases with scripts that check the lock', async () => {
    const redis = fakeRedis();
    const store = redisIdempotencyStore({ sendCommand: redis.sendCommand, prefix: 'p:' });
    expect(await store.claim('k', lock, 1000)).toBeNull();
    expect(redis.sent[0]).toEqual(['SET', 'p:k', JSON.stringify(lock), 'NX', 'PX', '1000']);
    expect(await store.claim('k', { ...lock, token: 't2' }, 1000)).toEqual(lock);
    expect(await store.finish('k', { ...lock, token: 'intruder' }, RESPONSE, 5000)).toBe(false);
    expect(await store.finish('k', lock, RESPONSE, 5000)).toBe(true);
    expect(redis.sent.at(-1)?.slice(2)).toEqual(['1', 'p:k', JSON.stringify(lock), JSON.stringify({ state: 'done', fingerprint: 'fp', response: RESPONSE }), '5000']);
    expect(await store.claim('k', lock, 1000)).toEqual({ state: 'done', fingerprint: 'fp', response: RESPONSE });
    await store.release('k', lock);
    expect(redis.data.has('p:k')).toBe(true); // finished: no longer this run's lock
    await store.claim('r', lock, 1000);
    await store.release('r', lock);
    expect(redis.data.has('p:r')).toBe(false);
  });

  it('claims again when the key expired between the refused SET and the GET', async () => {
    let calls = 0;
    const store = redisIdempotencyStore({
      sendCommand: async (command) => {
        calls++;
        if (command === 'SET') return calls < 3 ? null : 'OK';
        return null;
      },
    });
    expect(await store.claim('k', lock, 1000)).toBeNull();
    expect(calls).toBe(3);
  });

  it('fails (a store failure, never a wrong answer) on a key that keeps changing or an unreadable value', async () => {
    const changing = redisIdempotencyStore({ sendCommand: async () => null });
    await expect(changing.claim('k', lock, 1000)).rejects.toThrow('idempotency: the key kept changing while it was claimed');
    for (const value of ['not json', 'null', '{"state":"other"}']) {
      const odd = redisIdempotencyStore({ sendCommand: async (command) => (command === 'SET' ? null : value) });
      await expect(odd.claim('k', lock, 1000)).rejects.toThrow();
    }
  });

  it('refuses bad options', () => {
    expect(() => redisIdempotencyStore()).toThrow(new EnvelopeError('ERR_ENVELOPE_INVALID_OPTION', 'redisIdempotencyStore(): sendCommand must be a function'));
    expect(() => redisIdempotencyStore({ sendCommand: async () => null, prefix: 1 as never })).toThrow(
      new EnvelopeError('ERR_ENVELOPE_INVALID_OPTION', 'redisIdempotencyStore(): prefix must be a string'),
    );
    expect(() => redisIdempotencyStore({ client: 1 } as never)).toThrow(expect.objectContaining({ code: 'ERR_ENVELOPE_UNKNOWN_OPTION' }));
  });
});
