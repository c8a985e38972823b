// idempotency() across instances through redisIdempotencyStore(): replays, races between two apps
// sharing one Redis, a dead lock holder, and Redis going away (server from __tests__/helpers/redis.ts).

import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type Redis from 'ioredis';
import request from 'supertest';
import { type IdempotencyOptions, type RunningRecord, redisIdempotencyStore } from '../../index';
import { fingerprint, sha256 } from '../../lib/idempotency/fingerprint';
import { EXPRESS_FLAVORS, type Flavor, quiet } from '../helpers/create-app';
import { expectEnvelope } from '../helpers/expect-envelope';
import { FAIL_FAST, cuttableRedis, describeWithRedis, ioredisClients } from '../helpers/redis';
import { paymentsApp } from './helpers';

describeWithRedis('idempotency() through Redis', (redisTarget) => {
  const { client, ready, closeAll } = ioredisClients(redisTarget);
  const servers: Server[] = [];
  /** Every key of this run starts with it, so a shared Redis (REDIS_URL) is cleaned up afterwards. */
  const RUN = `idem-test:${randomUUID()}`;

  function store(redis: Redis, prefix: string) {
    return redisIdempotencyStore({ sendCommand: (command, ...args) => redis.call(command, ...args), prefix });
  }
  async function listen(app: Parameters<typeof createServer>[1]): Promise<Server> {
    const server = createServer(app);
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return server;
  }

  afterAll(async () => {
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
    const cleaner = client();
    const keys = await cleaner.keys(`${RUN}:*`);
    if (keys.length > 0) await cleaner.del(...keys);
    await closeAll();
  });

  /** Two app instances, each with its own Redis client and store, sharing one prefix. */
  function pair(flavor: Flavor, idem: IdempotencyOptions = {}, gate?: () => Promise<void>) {
    const prefix = `${RUN}:${randomUUID()}:`;
    return [0, 1].map(() =>
      paymentsApp(flavor, { idem: { store: store(client(), prefix), replayHeaders: ['X-Payment-Id'], ...idem }, gate }),
    );
  }

  describe.each(EXPRESS_FLAVORS)('on %s', (flavor) => {
    it('replays on the other instance byte for byte, with its own request id; another payload is 422, another caller runs', async () => {
      const [a, b] = pair(flavor);
      const first = await request(a.app)
        .post('/payments')
        .set('Idempotency-Key', '"order-1"')
        .set('Authorization', 'Bearer alice')
        .send({ amount: 10 });
      const body = { success: true, data: { id: 1, amount: 10, note: 'ok' } };
      expectEnvelope(first, {
        format: 'wispanel',
        kind: 'success',
        status: 201,
        body,
        headers: { Location: '/payments/1', 'X-Payment-Id': 'pay_1' },
      });
      const replay = await request(b.app)
        .post('/payments')
        .set('Idempotency-Key', '"order-1"')
        .set('Authorization', 'Bearer alice')
        .send({ amount: 10 });
      expectEnvelope(replay, {
        format: 'wispanel',
        kind: 'success',
        status: 201,
        body,
        headers: { Location: '/payments/1', 'X-Payment-Id': 'pay_1', 'Idempotent-Replayed': 'true' },
      });
      expect(replay.text).toBe(first.text);
      expect(replay.headers['x-request-id']).not.toBe(first.headers['x-request-id']);
      const mismatch = await request(b.app)
        .post('/payments')
        .set('Idempotency-Key', '"order-1"')
        .set('Authorization', 'Bearer alice')
        .send({ amount: 99 });
      expect([mismatch.status, JSON.parse(mismatch.text).code]).toEqual([422, 'IDEMPOTENCY_KEY_MISMATCH']);
      const bob = await request(b.app)
        .post('/payments')
        .set('Idempotency-Key', '"order-1"')
        .set('Authorization', 'Bearer bob')
        .send({ amount: 10 });
      expect([bob.status, bob.headers['idempotent-replayed']]).toEqual([201, undefined]);
      expect([a.runs(), b.runs()]).toEqual([1, 1]);
    });

    it('runs the handler exactly once for 20 concurrent requests split across two instances (20 trials)', async () => {
      const figures: Array<{ trial: number; runs: number; conflicts: number; replays: number; originals: number }> = [];
      for (let trial = 1; trial <= 20; trial++) {
        // The first run takes a few milliseconds, so the others arrive while it runs, or after.
        const [a, b] = pair(flavor, {}, () => new Promise((resolve) => setTimeout(resolve, 5)));
        const [sa, sb] = [await listen(a.app), await listen(b.app)];
        const key = `race-${trial}`;
        const replies = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            request(i % 2 === 0 ? sa : sb)
              .post('/payments')
              .set('Idempotency-Key', key)
              .send({ amount: trial })
              .timeout(10_000),
          ),
        );
        const originals = replies.filter((r) => r.status === 201 && r.headers['idempotent-replayed'] === undefined);
        const replays = replies.filter((r) => r.status === 201 && r.headers['idempotent-replayed'] === 'true');
        const conflicts = replies.filter((r) => r.status === 409);
        expect([originals.length, replays.length + conflicts.length, a.runs() + b.runs()]).toEqual([1, 19, 1]);
        for (const r of replays) expect(r.text).toBe(originals[0].text);
        for (const r of conflicts) expect(JSON.parse(r.text).code).toBe('IDEMPOTENCY_KEY_CONFLICT');
        figures.push({
          trial,
          runs: a.runs() + b.runs(),
          conflicts: conflicts.length,
          replays: replays.length,
          originals: originals.length,
        });
        await Promise.all([sa, sb].map((s) => new Promise((resolve) => s.close(resolve))));
      }
      if (process.env.IDEMPOTENCY_TRIALS_OUT)
        writeFileSync(`${process.env.IDEMPOTENCY_TRIALS_OUT}.${flavor}.json`, JSON.stringify(figures));
      expect(figures).toHaveLength(20);
    }, 60_000);

    it('a client that gives up on one instance and retries on the other gets 409, then the replay: the handler runs once', async () => {
      let open: () => void = () => undefined;
      const gate = new Promise<void>((resolve) => {
        open = resolve;
      });
      const [a, b] = pair(flavor, {}, () => gate);
      await expect(request(a.app).post('/payments').set('Idempotency-Key', 'gave-up').send({ amount: 7 }).timeout(200)).rejects.toThrow();
      const meanwhile = await request(b.app).post('/payments').set('Idempotency-Key', 'gave-up').send({ amount: 7 });
      expect([meanwhile.status, JSON.parse(meanwhile.text).code]).toEqual([409, 'IDEMPOTENCY_KEY_CONFLICT']);
      open();
      let replay = meanwhile;
      for (let i = 0; i < 400 && replay.status === 409; i++) {
        await new Promise((resolve) => setTimeout(resolve, 25));
        replay = await request(b.app).post('/payments').set('Idempotency-Key', 'gave-up').send({ amount: 7 });
      }
      expect([replay.status, replay.headers['idempotent-replayed'], a.runs() + b.runs()]).toEqual([201, 'true', 1]);
    });

    it('lets a retry run once the lock of an instance that died has expired (lockMs)', async () => {
      const prefix = `${RUN}:${randomUUID()}:`;
      const dead = store(client(), prefix);
      const app = paymentsApp(flavor, { idem: { store: store(client(), prefix), scope: () => 'tenant-1', lockMs: 200 } });
      // The dead instance claimed the key for the same request, and will never finish.
      const lock: RunningRecord = {
        state: 'running',
        token: 'dead-instance',
        fingerprint: fingerprint('POST', '/payments', { amount: 1 }),
      };
      expect(await dead.claim(`${sha256('tenant-1')}:pay`, lock, 200)).toBeNull();
      const busy = await request(app.app).post('/payments').set('Idempotency-Key', 'pay').send({ amount: 1 });
      expect([busy.status, JSON.parse(busy.text).code, app.runs()]).toEqual([409, 'IDEMPOTENCY_KEY_CONFLICT', 0]);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const retry = await request(app.app).post('/payments').set('Idempotency-Key', 'pay').send({ amount: 1 });
      expect([retry.status, retry.headers['idempotent-replayed'], app.runs()]).toEqual([201, undefined, 1]);
      // Too late: the dead instance's finish changes nothing.
      expect(await dead.finish(`${sha256('tenant-1')}:pay`, lock, { status: 500, headers: [], body: '' }, 1000)).toBe(false);
      const replay = await request(app.app).post('/payments').set('Idempotency-Key', 'pay').send({ amount: 1 });
      expect([replay.status, replay.text, replay.headers['idempotent-replayed']]).toEqual([201, retry.text, 'true']);
    });
  });

  describe.each([false, true])('Redis going away, failOpen: %s', (failOpen) => {
    quiet();
    const UNAVAILABLE = 'Idempotency keys cannot be checked right now; retry later';
    const lines: string[] = [];
    const log = ({ requestId, status, error }: { requestId: string; status: number; error: unknown }) =>
      lines.push(`${requestId} ${status} ${(error as Error).message}`);
    beforeEach(() => {
      lines.length = 0;
    });

    function expectAfterOutage(res: request.Response, id: string): void {
      if (failOpen) {
        expectEnvelope(res, {
          format: 'wispanel',
          kind: 'success',
          status: 201,
          body: { success: true, data: { id: 2, amount: 2, note: 'ok' } },
        });
        expect(lines).toContain(`${id} 503 idempotency: store failed; the request runs without idempotency protection (failOpen)`);
      } else {
        expectEnvelope(res, {
          format: 'wispanel',
          kind: 'error',
          status: 503,
          body: { success: false, code: 'IDEMPOTENCY_STORE_UNAVAILABLE', error: UNAVAILABLE, message: UNAVAILABLE, status: 503 },
        });
      }
    }

    it('answers the request that was running when Redis went away, logs the store failure, then refuses or runs unprotected', async () => {
      const hop = await cuttableRedis(redisTarget());
      const redis = client({ port: hop.port, ...FAIL_FAST });
      await ready(redis);
      let running: () => void = () => undefined;
      const started = new Promise<void>((resolve) => {
        running = resolve;
      });
      let release: () => void = () => undefined;
      let hold = true;
      // Only the first run waits for the cut.
      const gate = () => {
        if (!hold) return Promise.resolve();
        hold = false;
        running();
        return new Promise<void>((resolve) => {
          release = resolve;
        });
      };
      const app = paymentsApp('express5', {
        idem: { store: store(redis, `${RUN}:${randomUUID()}:`), failOpen, log },
        gate,
        ids: () => 'rid',
      });
      const pending = request(app.app).post('/payments').set('Idempotency-Key', 'cut').send({ amount: 1 }).timeout(10_000);
      const done = pending.then((r) => r);
      await started;
      await hop.cut();
      release();
      const res = await done;
      expectEnvelope(res, {
        format: 'wispanel',
        kind: 'success',
        status: 201,
        body: { success: true, data: { id: 1, amount: 1, note: 'ok' } },
      });
      expect(lines).toEqual([
        'rid 201 idempotency: store failed while storing the response (3 attempts); the key stays locked until lockMs',
      ]);
      const next = await request(app.app).post('/payments').set('Idempotency-Key', 'after').send({ amount: 2 }).timeout(10_000);
      expectAfterOutage(next, 'rid');
    });

    it('refuses or runs unprotected when Redis is down from the start, without hanging', async () => {
      const hop = await cuttableRedis(redisTarget());
      await hop.cut();
      const redis = client({ port: hop.port, ...FAIL_FAST, lazyConnect: true });
      const app = paymentsApp('express4', { idem: { store: store(redis, `${RUN}:${randomUUID()}:`), failOpen, log }, ids: () => 'rid' });
      const res = await request(app.app).post('/payments').set('Idempotency-Key', 'down').send({ amount: 2 }).timeout(10_000);
      if (failOpen) {
        expectEnvelope(res, {
          format: 'wispanel',
          kind: 'success',
          status: 201,
          body: { success: true, data: { id: 1, amount: 2, note: 'ok' } },
        });
        expect(lines).toEqual(['rid 503 idempotency: store failed; the request runs without idempotency protection (failOpen)']);
      } else {
        expectAfterOutage(res, 'rid');
        expect(app.runs()).toBe(0);
      }
    });
  });
});
