// memoryIdempotencyStore(): claims, finishes and releases by token, bounds on keys and bytes (stored
// responses evicted first, least recently used first), and expiry (with jest's fake timers, so no
// test waits). Its cost per operation is measured by `node bench/time.js memory-store`, not here.

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
    expect(await store.claim('k', lock('b'), 1000)).toEqual({ state: 'done', fingerprint: 'fp', response: RESPONSE, token: 'a' });
  });

  it('is safe to repeat: a claim that finds its own token, and a finish that finds its own response, succeeded', async () => {
    const store = memoryIdempotencyStore();
    expect(await store.claim('k', lock('a'), 1000)).toBeNull();
    expect(await store.claim('k', lock('a'), 1000)).toBeNull();
    expect(await store.finish('k', lock('a'), RESPONSE, 5000)).toBe(true);
    expect(await store.finish('k', lock('a'), RESPONSE, 5000)).toBe(true);
    expect(await store.finish('k', lock('b'), RESPONSE, 5000)).toBe(false);
    expect((await store.claim('k', lock('a'), 1000))?.state).toBe('done');
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

  it('keeps at most maxKeys, dropping stored responses before running claims, the least recently used first', async () => {
    const store = memoryIdempotencyStore({ maxKeys: 3 });
    for (const key of ['a', 'b']) {
      await store.claim(key, lock(key), 60_000);
      await store.finish(key, lock(key), RESPONSE, 60_000);
    }
    expect((await store.claim('a', lock('x'), 60_000))?.state).toBe('done'); // a replay: a is now the most recently used
    await store.claim('c', lock('c'), 60_000); // running
    await store.claim('d', lock('d'), 60_000); // drops b (least recently used), not a, and never c
    expect((await store.claim('a', lock('x'), 60_000))?.state).toBe('done');
    expect(await store.claim('c', lock('x'), 60_000)).toEqual(lock('c'));
    await store.claim('e', lock('e'), 60_000); // drops a: the last stored response
    expect(await store.claim('c', lock('x'), 60_000)).toEqual(lock('c'));
    expect(await store.claim('d', lock('x'), 60_000)).toEqual(lock('d'));
    expect(await store.claim('e', lock('x'), 60_000)).toEqual(lock('e'));
    await expect(store.claim('b', lock('b2'), 60_000)).rejects.toThrow('full of running claims'); // b is gone, and no room
  });

  it('never walks its whole table: no claim, finish or eviction clears or scans per key (the cost is flat, see node bench/time.js memory-store)', async () => {
    const store = memoryIdempotencyStore({ maxKeys: 1000 });
    for (let i = 0; i < 1000; i++) {
      await store.claim(`k${i}`, lock(`t${i}`), 60_000);
      await store.finish(`k${i}`, lock(`t${i}`), RESPONSE, 60_000);
    }
    // lru-cache empties its arrays (Array#fill over maxKeys slots) when a cache's last entry goes.
    const fill = jest.spyOn(Array.prototype, 'fill');
    try {
      for (let i = 1000; i < 3000; i++) {
        await store.claim(`k${i}`, lock(`t${i}`), 60_000);
        await store.finish(`k${i}`, lock(`t${i}`), RESPONSE, 60_000);
        await store.claim(`r${i}`, lock(`t${i}`), 60_000);
        await store.release(`r${i}`, lock(`t${i}`));
      }
      expect(fill).not.toHaveBeenCalled();
    } finally {
      fill.mockRestore();
    }
  });

  it('refuses a new claim (a store failure) rather than drop a running one, until the oldest lock expires', async () => {
    const store = memoryIdempotencyStore({ maxKeys: 2 });
    await store.claim('a', lock('a'), 1000);
    await store.claim('b', lock('b'), 5000);
    await expect(store.claim('c', lock('c'), 1000)).rejects.toThrow(
      'idempotency: the memory store is full of running claims (raise maxKeys or maxBytes)',
    );
    jest.advanceTimersByTime(1000);
    expect(await store.claim('c', lock('c'), 1000)).toBeNull();
    expect(await store.claim('b', lock('x'), 1000)).toEqual(lock('b'));
  });

  it('holds maxBytes: 1 MB responses are dropped, least recently used first, so 64 MiB keep about 47 of them', async () => {
    const store = memoryIdempotencyStore();
    const body = Buffer.alloc(1024 * 1024, 7).toString('base64'); // what a 1 MB response is stored as
    const big = { status: 201, headers: [['Content-Type', 'application/json']] as Array<[string, string]>, body };
    for (let i = 0; i < 200; i++) {
      await store.claim(`k${i}`, lock(`t${i}`), 60_000);
      expect(await store.finish(`k${i}`, lock(`t${i}`), big, 60_000)).toBe(true);
    }
    const kept: number[] = [];
    for (let i = 0; i < 200; i++) if ((await store.claim(`k${i}`, lock('probe'), 60_000))?.state === 'done') kept.push(i);
    // Each costs its base64 body (1,398,104 bytes) and a few hundred more: floor(64 MiB / that) = 47.
    expect(kept).toEqual(Array.from({ length: 47 }, (_, i) => 153 + i));
  });

  it('does not keep a response larger than maxBytes: the key is free again', async () => {
    const store = memoryIdempotencyStore({ maxBytes: 1000 });
    await store.claim('k', lock('a'), 1000);
    expect(await store.finish('k', lock('a'), { ...RESPONSE, body: 'A'.repeat(2000) }, 5000)).toBe(false);
    expect(await store.claim('k', lock('b'), 1000)).toBeNull();
  });

  it('refuses bad options', () => {
    expect(() => memoryIdempotencyStore({ maxKeys: 0 })).toThrow(
      new EnvelopeError('ERR_ENVELOPE_INVALID_OPTION', 'memoryIdempotencyStore(): maxKeys must be a positive integer'),
    );
    expect(() => memoryIdempotencyStore({ maxBytes: 1.5 })).toThrow(
      new EnvelopeError('ERR_ENVELOPE_INVALID_OPTION', 'memoryIdempotencyStore(): maxBytes must be a positive integer'),
    );
    expect(() => memoryIdempotencyStore({ max: 1 } as never)).toThrow(expect.objectContaining({ code: 'ERR_ENVELOPE_UNKNOWN_OPTION' }));
  });
});
