// envelopeFetch() with retries against a real server with idempotency() and rateLimit(), on a real
// socket, with memory stores and with a private Redis: a connection cut after the handler ran, a 503
// while the idempotency store is down, a 429 — each call ends with the right result, and the
// handler's side effect happened exactly once.

import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import express from 'express';
import type Redis from 'ioredis';
import { RedisStore } from 'rate-limit-redis';
import { envelopeFetch } from '../../client';
import {
  type IdempotencyStore,
  envelope,
  errorHandler,
  idempotency,
  memoryIdempotencyStore,
  rateLimit,
  type RateLimitOptions,
  redisIdempotencyStore,
} from '../../index';
import { describeWithRedis, ioredisClients } from '../helpers/redis';

interface Stores {
  /** The idempotency store; `down()` makes its next claim fail, as a store that is away does. */
  idempotency: IdempotencyStore;
  limiter: () => RateLimitOptions['store'];
}

/** A store whose next claim fails once, as an unreachable store's would. */
function flaky(store: IdempotencyStore): IdempotencyStore & { down(): void } {
  let failNext = false;
  return {
    claim: (key, lock, lockMs) => {
      if (failNext) {
        failNext = false;
        return Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6379'));
      }
      return store.claim(key, lock, lockMs);
    },
    finish: (key, lock, response, ttlMs) => store.finish(key, lock, response, ttlMs),
    release: (key, lock) => store.release(key, lock),
    down: () => {
      failNext = true;
    },
  };
}

interface Seen {
  status: number | 'network error';
  replayed: string | null;
  at: number;
}

function scenarios(label: string, stores: () => Stores): void {
  describe(label, () => {
    let server: Server | undefined;
    let base: string;
    let store: ReturnType<typeof flaky>;
    /** The side effect: orders placed, by name. */
    const placed = new Map<string, number>();
    /** Paths whose next response is cut after the handler ran (and idempotency() stored it). */
    const cutNext = new Set<string>();
    let stderrWrite: jest.SpiedFunction<typeof process.stderr.write>;

    beforeAll(async () => {
      stderrWrite = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
      const { idempotency: inner, limiter } = stores();
      store = flaky(inner);
      const app = express();
      app.use(envelope('problem'));
      app.use(express.json());
      // Outermost, so idempotency() has stored the response before this cut runs.
      app.use((req, res, next) => {
        if (cutNext.delete(req.path)) {
          res.end = function cut(): typeof res {
            req.socket.destroy();
            return res;
          } as typeof res.end;
        }
        next();
      });
      const silent = { error: () => undefined, warn: () => undefined };
      app.use('/limited', rateLimit({ limit: 1, windowMs: 1000, store: limiter(), logger: silent } as RateLimitOptions));
      app.use(idempotency({ store, log: () => undefined }));
      const place = (req: express.Request, res: express.Response) => {
        const name = String((req.body as { name?: unknown }).name);
        placed.set(name, (placed.get(name) ?? 0) + 1);
        res.status(201).success({ name, placed: placed.get(name) });
      };
      app.post('/orders', place);
      app.post('/limited/orders', place);
      app.use(errorHandler({ log: () => undefined }));
      server = app.listen(0, '127.0.0.1');
      await new Promise((resolve, reject) => (server as Server).once('listening', resolve).once('error', reject));
      base = `http://127.0.0.1:${((server as Server).address() as AddressInfo).port}`;
    });

    afterAll(async () => {
      stderrWrite.mockRestore();
      const open = server;
      if (open === undefined) return;
      open.closeAllConnections();
      await new Promise((resolve) => open.close(resolve));
    });

    /** The client under test, over the global fetch, recording what each attempt got. */
    function client() {
      const seen: Seen[] = [];
      const recording = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
        try {
          const res = await fetch(input, init);
          seen.push({ status: res.status, replayed: res.headers.get('Idempotent-Replayed'), at: Date.now() });
          return res;
        } catch (error) {
          seen.push({ status: 'network error', replayed: null, at: Date.now() });
          throw error;
        }
      };
      const api = envelopeFetch('problem', { fetch: recording, retry: { limit: 3 }, idempotencyKey: 'auto' });
      const order = (path: string, name: string) =>
        api(base + path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name }) });
      return { order, seen };
    }

    test('a connection cut after the handler ran: the retry gets the stored response, the order is placed once', async () => {
      const { order, seen } = client();
      cutNext.add('/orders');
      const result = await order('/orders', 'cut');
      expect(result).toStrictEqual({
        ok: true,
        kind: 'success',
        status: 201,
        data: { name: 'cut', placed: 1 },
        requestId: expect.any(String),
        attempts: 2,
      });
      expect(seen.map(({ status, replayed }) => [status, replayed])).toEqual([
        ['network error', null],
        [201, 'true'],
      ]);
      expect(placed.get('cut')).toBe(1);
    }, 30_000);

    test('a 503 while the idempotency store is down: retried once it is back, the order placed once', async () => {
      const { order, seen } = client();
      store.down();
      const result = await order('/orders', 'store-down');
      expect(result).toStrictEqual({
        ok: true,
        kind: 'success',
        status: 201,
        data: { name: 'store-down', placed: 1 },
        requestId: expect.any(String),
        attempts: 2,
      });
      expect(seen.map(({ status, replayed }) => [status, replayed])).toEqual([
        [503, null],
        [201, null],
      ]);
      expect(placed.get('store-down')).toBe(1);
    }, 30_000);

    test('a 429: the client waits at least Retry-After, then the order is placed once', async () => {
      const { order, seen } = client();
      await expect(order('/limited/orders', 'first')).resolves.toMatchObject({ ok: true, status: 201, attempts: 1 });
      const result = await order('/limited/orders', 'limited');
      expect(result).toStrictEqual({
        ok: true,
        kind: 'success',
        status: 201,
        data: { name: 'limited', placed: 1 },
        requestId: expect.any(String),
        attempts: 2,
      });
      expect(seen.slice(1).map(({ status }) => status)).toEqual([429, 201]);
      // Retry-After was 1 (second): the retry went no earlier.
      expect(seen[2].at - seen[1].at).toBeGreaterThanOrEqual(1000);
      expect([placed.get('first'), placed.get('limited')]).toEqual([1, 1]);
    }, 30_000);

    test('without a key, a POST whose connection was cut is not sent again: the error reaches the caller', async () => {
      const api = envelopeFetch('problem', { retry: true });
      cutNext.add('/orders');
      await expect(
        api(`${base}/orders`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"name":"unkeyed"}' }),
      ).rejects.toThrow('fetch failed');
      expect(placed.get('unkeyed')).toBe(1);
    }, 30_000);
  });
}

scenarios('memory stores', () => ({ idempotency: memoryIdempotencyStore(), limiter: () => undefined }));

describeWithRedis('Redis stores', (redisTarget) => {
  const { client, ready, closeAll } = ioredisClients(redisTarget);
  let redis: Redis | undefined;
  const run = randomUUID();
  afterAll(closeAll);
  scenarios('through a private redis-server', () => {
    redis = client();
    const connection = redis;
    const sendCommand = (command: string, ...args: string[]) => ready(connection).then(() => connection.call(command, ...args));
    return {
      idempotency: redisIdempotencyStore({ sendCommand, prefix: `retries:${run}:idem:` }),
      limiter: () => new RedisStore({ sendCommand: sendCommand as never, prefix: `retries:${run}:rl:` }),
    };
  });
});
