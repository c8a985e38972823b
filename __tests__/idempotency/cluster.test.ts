// idempotency() on a private Redis Cluster (3 masters, 3 replicas; __tests__/helpers/redis-cluster.ts)
// through ioredis Cluster and node-redis createCluster, with the client settings docs/idempotency.md
// gives: replays across 4 instances, 20 trials of 20 concurrent same-key requests, scripts flushed
// (NOSCRIPT), and a master killed mid-run by its pid.

import request from 'supertest';
import { type IdempotencyStore, redisIdempotencyStore } from '../../index';
import { sha256 } from '../../lib/idempotency/fingerprint';
import { quiet } from '../helpers/create-app';
import {
  CLUSTER_CLIENT_KINDS as KINDS,
  type ClusterClientKind as Kind,
  type RedisCluster,
  clusterSend,
  describeWithRedisCluster,
  slotOf,
} from '../helpers/redis-cluster';
import { paymentsApp } from './helpers';

describeWithRedisCluster('idempotency() on a Redis Cluster', (cluster: () => RedisCluster) => {
  quiet();
  const closers: Array<() => Promise<unknown>> = [];
  afterAll(async () => {
    await Promise.all(closers.map((close) => close().catch(() => undefined)));
  }, 30_000);

  /** One app instance's store, through its own cluster client, set up as docs/idempotency.md says. */
  async function store(kind: Kind, prefix: string): Promise<IdempotencyStore> {
    const send = await clusterSend(kind, cluster(), closers);
    return redisIdempotencyStore({ sendCommandCluster: ({ key, isReadOnly, command }) => send(key, isReadOnly, command), prefix });
  }

  let prefixes = 0;
  async function instances(
    kinds: Kind[],
    idem: Parameters<typeof paymentsApp>[1] extends infer S ? (S extends { idem?: infer I } ? I : never) : never = {},
    gate?: () => Promise<void>,
  ) {
    const prefix = `idem-cluster:${++prefixes}:`;
    return Promise.all(kinds.map(async (kind) => paymentsApp('express5', { idem: { store: await store(kind, prefix), ...idem }, gate })));
  }

  describe.each(KINDS)('through %s', (kind) => {
    it('replays across instances; another payload is 422; unprotected GETs pass', async () => {
      const [a, b] = await instances([kind, kind]);
      const first = await request(a.app).post('/payments').set('Idempotency-Key', 'c-1').send({ amount: 10 });
      expect(first.status).toBe(201);
      const replay = await request(b.app).post('/payments').set('Idempotency-Key', 'c-1').send({ amount: 10 });
      expect([replay.status, replay.text, replay.headers['idempotent-replayed']]).toEqual([201, first.text, 'true']);
      expect((await request(b.app).post('/payments').set('Idempotency-Key', 'c-1').send({ amount: 11 })).status).toBe(422);
      expect((await request(b.app).get('/payments').set('Idempotency-Key', 'c-1')).status).toBe(200);
      expect(a.runs() + b.runs()).toBe(2);
    });

    it('runs the handler once for each of 20 trials of 20 concurrent same-key requests over 4 instances', async () => {
      const apps = await instances([kind, kind, kind, kind], {}, () => new Promise((resolve) => setTimeout(resolve, 5)));
      for (let trial = 1; trial <= 20; trial++) {
        const before = apps.reduce((sum, app) => sum + app.runs(), 0);
        const replies = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            request(apps[i % 4].app)
              .post('/payments')
              .set('Idempotency-Key', `race-${trial}`)
              .send({ amount: trial })
              .timeout(15_000),
          ),
        );
        const statuses = replies.map((r) => (r.status === 201 ? (r.headers['idempotent-replayed'] ? 'replay' : 'run') : String(r.status)));
        expect([statuses.filter((s) => s === 'run').length, statuses.filter((s) => s === 'replay' || s === '409').length]).toEqual([1, 19]);
        expect(apps.reduce((sum, app) => sum + app.runs(), 0) - before).toBe(1);
      }
    }, 60_000);

    it('survives scripts flushed on every node (NOSCRIPT): sent again in full, never a 500', async () => {
      const [a] = await instances([kind]);
      expect((await request(a.app).post('/payments').set('Idempotency-Key', 'ns-1').send({})).status).toBe(201);
      await Promise.all(
        cluster()
          .nodes.filter((n) => n.alive())
          .map((n) => n.cli('SCRIPT', 'FLUSH')),
      );
      const statuses = [];
      for (let i = 0; i < 10; i++)
        statuses.push((await request(a.app).post('/payments').set('Idempotency-Key', `ns-${i}`).send({})).status);
      expect(statuses).toEqual([201, ...Array(9).fill(201)]);
    });
  });

  // Last: it kills a master for good (the cluster goes on with its replica promoted).
  it('a master killed mid-run: only answers or 503s, recovery after the failover, no key stuck in 409 after lockMs', async () => {
    const lockMs = 3000;
    const apps = await instances(
      ['ioredis', 'ioredis', 'node-redis', 'node-redis'],
      { lockMs, scope: () => 'tenant', storeTimeoutMs: 1000 },
      () => new Promise((r) => setTimeout(r, 5)),
    );
    // Keys whose records live on the master about to be killed.
    const prefix = `idem-cluster:${prefixes}:${sha256('tenant')}:`;
    const victim = await cluster().masterOf(`${prefix}probe`);
    const [owner] = (await cluster().masters()).filter((m) => m.port === victim.port);
    const onVictim: string[] = [];
    for (let i = 0; onVictim.length < 400; i++) if (owner.serves(slotOf(`${prefix}k-${i}`))) onVictim.push(`k-${i}`);
    const seen = new Map<string, number>();
    const count = (status: number | string) => seen.set(String(status), (seen.get(String(status)) ?? 0) + 1);
    const touched = new Set<string>();
    let stop = false;
    let sent = 0;
    const traffic = apps.map(async (app) => {
      while (!stop) {
        const key = onVictim[sent++ % 300];
        touched.add(key);
        const status = await request(app.app)
          .post('/payments')
          .set('Idempotency-Key', key)
          .send({})
          .timeout(15_000)
          .then(
            (r) => r.status,
            () => 'no answer',
          );
        count(status);
        if (status === 503) await new Promise((r) => setTimeout(r, 50));
      }
    });
    await new Promise((r) => setTimeout(r, 500));
    const killedAt = Date.now();
    await victim.kill();
    // Recovery: every instance answers 201 again for fresh keys on the killed master's slots.
    const recovered = await Promise.all(
      apps.map(async (app, i) => {
        for (let n = 0; Date.now() - killedAt < 30_000; n++) {
          const status = await request(app.app)
            .post('/payments')
            .set('Idempotency-Key', onVictim[300 + ((i * 25 + n) % 100)])
            .send({})
            .timeout(15_000)
            .then(
              (r) => r.status,
              () => 0,
            );
          if (status === 201) return Date.now() - killedAt;
          await new Promise((r) => setTimeout(r, 50));
        }
        return Infinity;
      }),
    );
    stop = true;
    await Promise.all(traffic);
    const recoveryMs = Math.max(...recovered);
    // For the docs: what clients saw, and how long the failover took from their side.
    process.stdout.write(
      `cluster failover: recovery ${recoveryMs} ms (node timeout ${cluster().nodeTimeoutMs} ms), answers ${JSON.stringify(Object.fromEntries(seen))}\n`,
    );
    expect([...seen.keys()].filter((s) => !['201', '409', '503'].includes(s))).toEqual([]);
    // Generous, for a busy machine: the failover itself takes about the node timeout plus 1-2 s.
    expect(recoveryMs).toBeLessThan(20_000);
    // After lockMs, no key touched during the failover is still locked.
    await new Promise((r) => setTimeout(r, Math.max(0, killedAt + lockMs + 500 - Date.now())));
    const after = await Promise.all(
      [...touched].slice(0, 60).map((key, i) =>
        request(apps[i % 4].app)
          .post('/payments')
          .set('Idempotency-Key', key)
          .send({})
          .timeout(15_000)
          .then(
            (r) => r.status,
            () => 0,
          ),
      ),
    );
    expect(after.filter((s) => s !== 201)).toEqual([]);
  }, 90_000);
});
