// rateLimit() across instances through Redis (a private redis-server, or REDIS_URL: see
// __tests__/helpers/redis.ts), and what happens when Redis goes away.

import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { RedisStore } from 'rate-limit-redis';
import request from 'supertest';
import { envelope, errorHandler, rateLimit, requestId } from '../index';
import { EXPRESS_FLAVORS, expressOf, quiet } from './helpers/create-app';
import { answered, fakeTimeouts } from './helpers/fake-timeouts';
import { expectEnvelope } from './helpers/expect-envelope';
import { FAIL_FAST, cuttableRedis, describeWithRedis, ioredisClients } from './helpers/redis';

describeWithRedis('rateLimit() through Redis', (redisTarget) => {
  const silent = { error: () => undefined, warn: () => undefined };
  const UNAVAILABLE = 'Rate limits cannot be checked right now; retry later';

  const { client, ready, closeAll } = ioredisClients(redisTarget);

  function store(redis: Redis, prefix: string): RedisStore {
    return new RedisStore({ sendCommand: (command: string, ...args: string[]) => redis.call(command, ...args) as never, prefix });
  }

  afterAll(async () => {
    await closeAll();
  });

  describe.each(EXPRESS_FLAVORS)('two instances sharing Redis on %s', (flavor) => {
    function instance(prefix: string, limit: number) {
      const exp = expressOf(flavor);
      const app = exp();
      app.use(requestId());
      app.use(envelope('wispanel'));
      app.use(rateLimit({ limit, windowMs: 60_000, store: store(client(), prefix), logger: silent }));
      app.get('/auth/login', (_req, res) => {
        res.json({ token: 't' });
      });
      app.use(errorHandler());
      return app;
    }

    it('enforces one combined limit, request after request', async () => {
      const prefix = `rl-test:${randomUUID()}:`;
      const a = instance(prefix, 5);
      const b = instance(prefix, 5);
      const statuses: number[] = [];
      for (let i = 0; i < 10; i++) statuses.push((await request(i % 2 === 0 ? a : b).get('/auth/login')).status);
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429, 429, 429, 429]);
      const refused = await request(b).get('/auth/login');
      expectEnvelope(refused, {
        format: 'wispanel',
        kind: 'error',
        status: 429,
        body: {
          success: false,
          code: 'RATE_LIMITED',
          error: 'Too many requests, please try again later.',
          message: 'Too many requests, please try again later.',
          status: 429,
        },
        headers: { 'X-RateLimit-Limit': '5', 'X-RateLimit-Remaining': '0', 'X-RateLimit-Window': '60' },
      });
    });

    it('enforces it exactly under concurrency', async () => {
      const prefix = `rl-test:${randomUUID()}:`;
      const a = instance(prefix, 7);
      const b = instance(prefix, 7);
      const replies = await Promise.all(Array.from({ length: 30 }, (_, i) => request(i % 2 === 0 ? a : b).get('/auth/login')));
      const counts = replies.reduce<Record<number, number>>((acc, r) => ({ ...acc, [r.status]: (acc[r.status] ?? 0) + 1 }), {});
      expect(counts).toEqual({ 200: 7, 429: 23 });
    });
  });

  describe.each([true, false])('Redis going away mid-test with passOnStoreError: %s', (passOnStoreError) => {
    quiet();
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    beforeAll(() => process.on('unhandledRejection', onRejection));
    afterAll(() => process.off('unhandledRejection', onRejection));

    it(passOnStoreError ? 'lets requests through' : 'answers a 503 with Retry-After in the envelope', async () => {
      const hop = await cuttableRedis(redisTarget());
      const redis = client({ port: hop.port, ...FAIL_FAST });
      await ready(redis);
      const app = expressOf('express5')();
      app.use(requestId({ generator: () => 'rid' }));
      app.use(envelope('vbapi'));
      app.use(rateLimit({ limit: 100, store: store(redis, `rl-test:${randomUUID()}:`), passOnStoreError, logger: silent }));
      app.get('/', (_req, res) => {
        res.json({ ok: true });
      });
      app.use(errorHandler());

      const before = await request(app).get('/');
      expect([before.status, before.headers['x-ratelimit-remaining']]).toEqual([200, '99']);

      await hop.cut();
      await new Promise((resolve) => setTimeout(resolve, 50));

      for (let i = 0; i < 3; i++) {
        const res = await request(app).get('/');
        if (passOnStoreError) {
          expectEnvelope(res, {
            format: 'vbapi',
            kind: 'success',
            status: 200,
            body: { data: { ok: true }, error: null, debug: { activityId: 'rid' } },
          });
          expect(res.headers['x-ratelimit-remaining']).toBeUndefined();
        } else {
          expectEnvelope(res, {
            format: 'vbapi',
            kind: 'error',
            status: 503,
            body: {
              data: null,
              error: {
                type: 'https://httpstatuses.com/503',
                title: 'Service Unavailable',
                status: 503,
                detail: UNAVAILABLE,
                instance: '/',
              },
              debug: { activityId: 'rid' },
            },
            headers: { 'Retry-After': '5' },
          });
          expect(process.stderr.write).toHaveBeenCalledWith(
            expect.stringMatching(/^express-envelope: request rid GET \/ failed with 503: /),
          );
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(rejections).toEqual([]);
    });

    it('never hangs on a store that points at a closed port', async () => {
      const hop = await cuttableRedis(redisTarget());
      await hop.cut();
      const redis = client({ port: hop.port, ...FAIL_FAST, lazyConnect: true });
      const app = expressOf('express5')();
      app.use(requestId({ generator: () => 'rid' }));
      app.use(envelope('statusOk'));
      app.use(rateLimit({ limit: 100, store: store(redis, `rl-test:${randomUUID()}:`), passOnStoreError, logger: silent }));
      app.get('/', (_req, res) => {
        res.json({ ok: true });
      });
      app.use(errorHandler());
      const res = await request(app).get('/').timeout(5000);
      if (passOnStoreError) expectEnvelope(res, { format: 'statusOk', kind: 'success', status: 200, body: { status: 'OK', ok: true } });
      else {
        expectEnvelope(res, {
          format: 'statusOk',
          kind: 'error',
          status: 503,
          body: { status: 'error', code: 'RATE_LIMIT_STORE_UNAVAILABLE', text: UNAVAILABLE },
          headers: { 'Retry-After': '5' },
        });
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(rejections).toEqual([]);
    });

    it('never waits on a client that queues commands while Redis is away (storeTimeoutMs)', async () => {
      const hop = await cuttableRedis(redisTarget());
      // ioredis's defaults: commands wait in the offline queue until Redis is back, for ever here.
      // Not one of the suite's clients: once it is away, quit() would queue too; disconnect() below
      // (under the fake clock that holds its reconnect timer) leaves nothing open.
      const { host, username, password, db } = redisTarget();
      const redis = new Redis({ host, port: hop.port, username, password, db, maxRetriesPerRequest: null });
      redis.on('error', () => undefined);
      await ready(redis);
      let wake: () => void = () => undefined;
      const queued = new Promise<void>((resolve) => (wake = resolve));
      const app = expressOf('express5')();
      app.use(requestId({ generator: () => 'rid' }));
      app.use(envelope('wispanel', { variant: 'lean' }));
      const loads: Promise<unknown>[] = [];
      const rlStore = new RedisStore({
        sendCommand: (command: string, ...args: string[]) => {
          const reply = redis.call(command, ...args);
          // SCRIPT LOAD runs at creation; the request's call is EVALSHA.
          if (command === 'SCRIPT') loads.push(reply);
          else wake();
          return reply as never;
        },
        prefix: `rl-test:${randomUUID()}:`,
      });
      app.use(rateLimit({ limit: 100, store: rlStore, passOnStoreError, logger: silent }));
      app.get('/', (_req, res) => {
        res.json({ ok: true });
      });
      app.use(errorHandler({ log: false }));
      await Promise.all(loads); // the store is ready, then Redis goes away
      const closed = new Promise((resolve) => redis.once('close', resolve));
      await hop.cut();
      await closed;
      fakeTimeouts();
      try {
        const pending = request(app)
          .get('/')
          .then((res) => res);
        await queued;
        expect(redis.status).not.toBe('ready');
        jest.advanceTimersByTime(2000);
        const res = await answered(pending);
        if (passOnStoreError) {
          expectEnvelope(res, {
            format: 'wispanel',
            options: { variant: 'lean' },
            kind: 'success',
            status: 200,
            body: { success: true, data: { ok: true } },
          });
        } else {
          expectEnvelope(res, {
            format: 'wispanel',
            options: { variant: 'lean' },
            kind: 'error',
            status: 503,
            body: { success: false, error: UNAVAILABLE, code: 'RATE_LIMIT_STORE_UNAVAILABLE' },
            headers: { 'Retry-After': '5' },
          });
        }
      } finally {
        redis.disconnect();
        jest.useRealTimers();
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(rejections).toEqual([]);
    }, 20_000);
  });
});
