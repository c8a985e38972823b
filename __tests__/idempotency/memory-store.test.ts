// memoryIdempotencyStore(): claims, finishes and releases by token, a bound on keys, and expiry
// (with jest's fake timers, so no test waits).

import { EnvelopeError, type RunningRecord, memoryIdempotencyStore } from '../../index';

const lock = (token: string, fingerprint = 'fp'): RunningRecord => ({ state: 'running', token, fingerprint });
const RESPONSE = { status: 201, headers: [['Content-Type', 'application/json; charset=utf-8']] as Array<[string, string]>, body: 'e30=' };

describe('memoryIdempotencyStore()', () => {
  beforeEach(() => jest.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') }));
  afterEach(() => jest.useRealTimers());

  it('claims a key once; the next claim sees the run, then its stored response', async () => {
    const store = memoryIdempotencyStore();
    expect(await store.claim('k', lock('a'), 1000)).toBeNull();
    expect(await store.claim('k', lock('b'), 1000)).toEqual(lock('a'));
    expect(await store.finish('k', lock('a'), RESPONSE, 5000)).toBe(true);
    expect(await store.claim('k', lock('b'), 1000)).toEqual({ state: 'done', fingerprint: 'fp', response: RESPONSE });
  });

  it('lets only the holder of the lock finish or release it', async () => {
    const store = memoryIdempotencyStore();
    await store.claim('k', lock('a'), 1000);
    expect(await store.finish('k', lock('intruder'), RESPONSE, 5000)).toBe(false);
    await store.release('k', lock('intruder'));
    expect(await store.claim('k', lock('b'), 1000)).toEqual(lock('a'));
    await store.release('k', lock('a'));
    expect(await store.claim('k', lock('b'), 1000)).toBeNull();
  });

  it('expires a lock whose holder died after lockMs, and a stored response after ttlMs', async () => {
    const store = memoryIdempotencyStore();
    await store.claim('dead', lock('a'), 1000);
    jest.advanceTimersByTime(999);
    expect(await store.claim('dead', lock('b'), 1000)).toEqual(lock('a'));
    jest.advanceTimersByTime(1);
    expect(await store.claim('dead', lock('b'), 1000)).toBeNull();
    // The dead holder comes back too late: its finish changes nothing.
    expect(await store.finish('dead', lock('a'), RESPONSE, 5000)).toBe(false);

    await store.claim('done', lock('c'), 1000);
    await store.finish('done', lock('c'), RESPONSE, 5000);
    jest.advanceTimersByTime(4999);
    expect((await store.claim('done', lock('d'), 1000))?.state).toBe('done');
    jest.advanceTimersByTime(1);
    expect(await store.claim('done', lock('d'), 1000)).toBeNull();
  });

  it('keeps at most maxKeys, dropping the oldest written first', async () => {
    const store = memoryIdempotencyStore({ maxKeys: 3 });
    for (const key of ['a', 'b', 'c']) await store.claim(key, lock(key), 60_000);
    await store.finish('a', lock('a'), RESPONSE, 60_000); // rewritten: now the newest
    await store.claim('d', lock('d'), 60_000); // drops b, the oldest
    expect(await store.claim('b', lock('b2'), 60_000)).toBeNull(); // b is new again; drops c
    expect((await store.claim('a', lock('x'), 60_000))?.state).toBe('done');
    expect(await store.claim('d', lock('x'), 60_000)).toEqual(lock('d'));
    expect(await store.claim('c', lock('c2'), 60_000)).toBeNull();
  });

  it('refuses bad options', () => {
    expect(() => memoryIdempotencyStore({ maxKeys: 0 })).toThrow(
      new EnvelopeError('ERR_ENVELOPE_INVALID_OPTION', 'memoryIdempotencyStore(): maxKeys must be a positive integer'),
    );
    expect(() => memoryIdempotencyStore({ max: 1 } as never)).toThrow(expect.objectContaining({ code: 'ERR_ENVELOPE_UNKNOWN_OPTION' }));
  });
});
