// idempotency() when things go wrong around the handler, on Express 4 and 5: a client that gives up
// and retries, store calls that time out, are re-sent or fail once, inputs that could collapse
// callers into one scope, and stores that answer outside their contract.

import request from 'supertest';
import { type IdempotencyStore, type Logger, type RunningRecord, memoryIdempotencyStore } from '../../index';
import { EXPRESS_FLAVORS } from '../helpers/create-app';
import { expectEnvelope } from '../helpers/expect-envelope';
import { paymentsApp } from './helpers';

const UNAVAILABLE = 'Idempotency keys cannot be checked right now; retry later';
const STORE_UNAVAILABLE = {
  format: 'wispanel',
  kind: 'error' as const,
  status: 503,
  body: { success: false, code: 'IDEMPOTENCY_STORE_UNAVAILABLE', error: UNAVAILABLE, message: UNAVAILABLE, status: 503 },
  headers: { 'Retry-After': '1' },
};
const CONFLICT_TEXT = 'A request with this Idempotency-Key is still being processed; retry later';
const CONFLICT = {
  format: 'wispanel',
  kind: 'error' as const,
  status: 409,
  body: { success: false, code: 'IDEMPOTENCY_KEY_CONFLICT', error: CONFLICT_TEXT, message: CONFLICT_TEXT, status: 409 },
};
const INTERNAL = {
  format: 'wispanel',
  kind: 'error' as const,
  status: 500,
  body: { success: false, code: 'INTERNAL_ERROR', error: 'Internal Server Error', message: 'Internal Server Error', status: 500 },
};

/** A promise and the function that resolves it. */
function signal(): { promise: Promise<void>; fire: () => void } {
  let fire: () => void = () => undefined;
  const promise = new Promise<void>((resolve) => {
    fire = resolve;
  });
  return { promise, fire };
}

/** Calls `probe` until it answers something other than `until`, at most `limitMs` (generous). */
async function pollWhile<T>(probe: () => Promise<T>, busy: (value: T) => boolean, limitMs = 20_000): Promise<T> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const value = await probe();
    if (!busy(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** A log that keeps each line's message (and its cause's). */
function lines(): { log: Logger; seen: string[] } {
  const seen: string[] = [];
  return {
    seen,
    log: ({ error }) => {
      const cause = (error as Error).cause as Error | undefined;
      seen.push(`${(error as Error).message}${cause ? ` (${cause.message})` : ''}`);
    },
  };
}

describe.each(EXPRESS_FLAVORS)('idempotency() faults on %s', (flavor) => {
  describe('the lock follows the handler, not the client', () => {
    it('a client that times out and retries gets 409 while the first run goes on, then its replay: the handler runs once', async () => {
      const gate = signal();
      const stored = signal();
      const memory = memoryIdempotencyStore();
      const store: IdempotencyStore = { ...memory, finish: (...args) => memory.finish(...args).finally(stored.fire) };
      const { app, runs } = paymentsApp(flavor, { idem: { store }, gate: () => gate.promise });
      await expect(request(app).post('/payments').set('Idempotency-Key', 'abort-1').send({ amount: 3 }).timeout(200)).rejects.toThrow();
      expectEnvelope(await request(app).post('/payments').set('Idempotency-Key', 'abort-1').send({ amount: 3 }), CONFLICT);
      gate.fire();
      await stored.promise;
      const replay = await request(app).post('/payments').set('Idempotency-Key', 'abort-1').send({ amount: 3 });
      expectEnvelope(replay, {
        format: 'wispanel',
        kind: 'success',
        status: 201,
        body: { success: true, data: { id: 1, amount: 3, note: 'ok' } },
        headers: { 'Idempotent-Replayed': 'true', Location: '/payments/1' },
      });
      expect(runs()).toBe(1);
    });

    it('a handler that ends without a response to store (an error after the client left) releases the key', async () => {
      const gate = signal();
      const released = signal();
      const memory = memoryIdempotencyStore();
      const store: IdempotencyStore = { ...memory, release: (...args) => memory.release(...args).finally(released.fire) };
      const { app, runs } = paymentsApp(flavor, { idem: { store }, gate: () => gate.promise });
      await expect(request(app).post('/payments?status=500').set('Idempotency-Key', 'gone').send({}).timeout(200)).rejects.toThrow();
      gate.fire();
      await released.promise;
      // Another target with the same key: 422 if the key were still held, a run now that it is free.
      const retry = await request(app).post('/payments').set('Idempotency-Key', 'gone').send({});
      expect([retry.status, runs()]).toEqual([201, 2]);
    });

    it('a handler that never ends is freed by lockMs', async () => {
      const { app, runs } = paymentsApp(flavor, { idem: { lockMs: 300 }, gate: () => new Promise(() => undefined) });
      await expect(request(app).post('/payments').set('Idempotency-Key', 'stuck').send({}).timeout(100)).rejects.toThrow();
      const after = await pollWhile(
        () =>
          request(app)
            .post('/payments')
            .set('Idempotency-Key', 'stuck')
            .send({})
            .timeout(100)
            .then(
              (res) => res.status,
              () => 'running',
            ),
        (status) => status === 409,
      );
      expect([after, runs()]).toEqual(['running', 2]);
    });
  });

  describe('store calls that are safe to repeat', () => {
    it('a claim that times out but lands later is undone: the retry runs instead of 409 for lockMs', async () => {
      const land = signal();
      const released = signal();
      const memory = memoryIdempotencyStore();
      let first = true;
      let landed = false;
      const store: IdempotencyStore = {
        ...memory,
        claim: async (...args) => {
          if (!first) return memory.claim(...args);
          first = false;
          await land.promise;
          const reply = await memory.claim(...args); // lands after the request got its 503
          landed = true;
          return reply;
        },
        release: (...args) => memory.release(...args).finally(() => landed && released.fire()),
      };
      const { app, runs } = paymentsApp(flavor, { idem: { store, storeTimeoutMs: 50 } });
      expectEnvelope(await request(app).post('/payments').set('Idempotency-Key', 'late').send({ amount: 1 }), STORE_UNAVAILABLE);
      land.fire();
      await released.promise;
      const retry = await request(app).post('/payments').set('Idempotency-Key', 'late').send({ amount: 1 });
      expect([retry.status, runs()]).toEqual([201, 1]);
    });

    it("a claim sent twice (a client re-sending after a reconnect) is this request's own: it runs, no 409", async () => {
      const memory = memoryIdempotencyStore();
      const store: IdempotencyStore = {
        ...memory,
        claim: async (key, lock, lockMs) => {
          await memory.claim(key, lock, lockMs); // landed, but its reply was lost
          return memory.claim(key, lock, lockMs); // the re-sent command's reply
        },
      };
      const { app, runs } = paymentsApp(flavor, { idem: { store } });
      const res = await request(app).post('/payments').set('Idempotency-Key', 'resent').send({ amount: 2 });
      expectEnvelope(res, {
        format: 'wispanel',
        kind: 'success',
        status: 201,
        body: { success: true, data: { id: 1, amount: 2, note: 'ok' } },
      });
      const replay = await request(app).post('/payments').set('Idempotency-Key', 'resent').send({ amount: 2 });
      expect([replay.status, replay.headers['idempotent-replayed'], runs()]).toEqual([201, 'true', 1]);
    });

    it('finish() that fails once is retried: the retry of the client gets the replay, the handler ran once', async () => {
      const memory = memoryIdempotencyStore();
      let failures = 1;
      const { log, seen } = lines();
      const store: IdempotencyStore = {
        ...memory,
        finish: (...args) =>
          failures-- > 0 ? Promise.reject(new Error("READONLY You can't write against a read only replica.")) : memory.finish(...args),
      };
      const { app, runs } = paymentsApp(flavor, { idem: { store, log } });
      expect((await request(app).post('/payments').set('Idempotency-Key', 'hiccup').send({ amount: 4 })).status).toBe(201);
      const replay = await request(app).post('/payments').set('Idempotency-Key', 'hiccup').send({ amount: 4 });
      expect([replay.status, replay.headers['idempotent-replayed'], runs(), seen]).toEqual([201, 'true', 1, []]);
    });

    it('finish() that keeps failing: the response is sent, one line logged, the key stays locked (409) rather than run again', async () => {
      const { log, seen } = lines();
      const store: IdempotencyStore = { ...memoryIdempotencyStore(), finish: () => Promise.reject(new Error('READONLY')) };
      const { app, runs } = paymentsApp(flavor, { idem: { store, log } });
      expect((await request(app).post('/payments').set('Idempotency-Key', 'down').send({})).status).toBe(201);
      expectEnvelope(await request(app).post('/payments').set('Idempotency-Key', 'down').send({}), CONFLICT);
      expect([runs(), seen]).toEqual([
        1,
        ['idempotency: store failed while storing the response (3 attempts); the key stays locked until lockMs (READONLY)'],
      ]);
    });
  });

  describe('inputs that cannot collapse callers', () => {
    it('two JSON bodies that differ only under "__proto__" are two payloads (422), not a replay', async () => {
      const { app, runs } = paymentsApp(flavor);
      const send = (json: string) =>
        request(app).post('/payments').set('Idempotency-Key', 'proto').set('Content-Type', 'application/json').send(json);
      expect((await send('{"amount":1,"__proto__":{"admin":false}}')).status).toBe(201);
      const other = await send('{"amount":1,"__proto__":{"admin":true}}');
      expect([other.status, other.body.code, runs()]).toEqual([422, 'IDEMPOTENCY_KEY_MISMATCH', 1]);
      const same = await send('{"__proto__":{"admin":false},"amount":1}');
      expect([same.status, same.headers['idempotent-replayed']]).toEqual([201, 'true']);
    });

    it.each([
      ['async', async () => 'user-a', 'a promise'],
      ['undefined', () => undefined, 'undefined'],
      ['an object', () => ({ id: 'a' }), 'object'],
      ['an empty string', () => '', 'an empty string'],
    ])('scope() that returns %s answers 500 in the envelope and logs it; no caller shares a scope', async (_name, scope, kind) => {
      const { log, seen } = lines();
      const { app, runs } = paymentsApp(flavor, { idem: { scope: scope as never, log } });
      for (const user of ['alice', 'bob']) {
        const res = await request(app)
          .post('/payments')
          .set('Idempotency-Key', 'shared')
          .set('Authorization', `Bearer ${user}`)
          .send({ amount: 1 });
        expectEnvelope(res, INTERNAL);
      }
      expect(runs()).toBe(0);
      expect(seen).toEqual(Array(2).fill(`idempotency: scope() returned ${kind} instead of a non-empty string; the request is refused`));
    });

    it.each([
      ['undefined', undefined],
      ['a string', 'OK'],
      ['a record without a state', { fingerprint: 'x' }],
    ])('a claim that resolves %s answers 503 in the envelope and logs it, never hangs', async (_name, reply) => {
      const { log, seen } = lines();
      const store: IdempotencyStore = { ...memoryIdempotencyStore(), claim: async () => reply as never };
      const { app, runs } = paymentsApp(flavor, { idem: { store, log } });
      expectEnvelope(await request(app).post('/payments').set('Idempotency-Key', 'odd').send({}), STORE_UNAVAILABLE);
      expect(runs()).toBe(0);
      expect(seen).toHaveLength(1);
      expect(seen[0]).toMatch(
        /^idempotency: the store broke its contract; the request is refused with 503 \(idempotency: the store answered /,
      );
    });

    it.each([
      ['a status outside 200-599', { status: 99, headers: [], body: '' }],
      ['a header value with a line break', { status: 201, headers: [['X-A', 'a\r\nSet-Cookie: x=1']], body: '' }],
      ['a header name that is not a token', { status: 201, headers: [['X A', 'a']], body: '' }],
      ['a body that is not base64', { status: 201, headers: [], body: '{"not":"base64"}' }],
    ])('a stored record with %s answers 503 and logs it, never hangs or half-writes', async (_name, response) => {
      const { log, seen } = lines();
      const memory = memoryIdempotencyStore();
      const store: IdempotencyStore = {
        ...memory,
        claim: async (_key, lock: RunningRecord) => ({ state: 'done', fingerprint: lock.fingerprint, response: response as never }),
      };
      const { app, runs } = paymentsApp(flavor, { idem: { store, log } });
      const res = await request(app).post('/payments').set('Idempotency-Key', 'bad-record').send({});
      expectEnvelope(res, STORE_UNAVAILABLE);
      expect(res.headers['set-cookie']).toBeUndefined();
      expect([runs(), seen]).toEqual([
        0,
        [
          'idempotency: the store broke its contract; the request is refused with 503 (idempotency: the store answered a stored response that cannot be replayed)',
        ],
      ]);
    });

    it('a finish that resolves something other than a boolean counts as failed (retried, then logged)', async () => {
      const { log, seen } = lines();
      const store: IdempotencyStore = { ...memoryIdempotencyStore(), finish: async () => 'OK' as never };
      const { app } = paymentsApp(flavor, { idem: { store, log } });
      expect((await request(app).post('/payments').set('Idempotency-Key', 'f').send({})).status).toBe(201);
      expect(seen).toEqual([
        'idempotency: store failed while storing the response (3 attempts); the key stays locked until lockMs (idempotency: the store answered a string to a finish (expected true or false))',
      ]);
    });
  });
});
