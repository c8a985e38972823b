// What a failover does to idempotency() on a primary with one replica, with and without
// redisIdempotencyStore({ waitReplicas }): the table in docs/idempotency.md ("What a failover
// can lose"), row by row. The failover is done by hand, as Sentinel would: the replica is promoted
// (REPLICAOF NO ONE), the store's client follows it, and the old primary rejoins as its replica.

import Redis from 'ioredis';
import request from 'supertest';
import { redisIdempotencyStore } from '../../index';
import { quiet } from '../helpers/create-app';
import { FAIL_FAST } from '../helpers/redis';
import { type RedisReplication, describeWithRedisReplication } from '../helpers/redis-cluster';
import { paymentsApp } from './helpers';

describeWithRedisReplication('idempotency() across a failover of a primary with one replica', (start) => {
  quiet();
  const clients: Redis[] = [];
  afterAll(async () => {
    await Promise.all(clients.filter((c) => c.status !== 'end').map((c) => c.quit().catch(() => c.disconnect())));
  }, 60_000);

  async function client(port: number): Promise<Redis> {
    const redis = new Redis({ host: '127.0.0.1', port, ...FAIL_FAST });
    redis.on('error', () => undefined);
    clients.push(redis);
    if (redis.status !== 'ready') await new Promise((resolve) => redis.once('ready', resolve));
    return redis;
  }

  /**
   * An app whose store follows the primary, as a Sentinel-aware client does. The WAIT timeout is
   * generous so that a healthy replica's acknowledgement never misses it on a busy machine; a
   * partitioned one still makes the claim a 503, 5 s later.
   */
  async function setup(servers: RedisReplication, waitReplicas: number) {
    let current = await client(servers.primary.port);
    const store = redisIdempotencyStore({
      sendCommand: (command, ...args) => current.call(command, ...args),
      waitReplicas,
      waitTimeoutMs: 5000,
    });
    const payments = paymentsApp('express5', { idem: { store, storeTimeoutMs: 15_000 } });
    const post = () => request(payments.app).post('/payments').set('Idempotency-Key', 'pay-1').send({ amount: 10 });
    // As Sentinel does: promote the replica, point clients at it, and make the old primary a
    // replica of it when it comes back (a full sync that drops what only the old primary had).
    const failover = async () => {
      await servers.replica.cli('REPLICAOF', 'NO', 'ONE');
      current = await client(servers.replica.port);
      await servers.primary.cli('REPLICAOF', '127.0.0.1', String(servers.replica.port));
      for (let i = 0; i < 300 && !(await servers.primary.cli('INFO', 'replication')).includes('master_link_status:up'); i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };
    return { ...payments, post, failover };
  }

  it('without waitReplicas: a write the promoted replica never got is lost, and the answered key runs again', async () => {
    const servers = await start();
    const app = await setup(servers, 0);
    // A partition: the replica stops following the primary, which still takes writes.
    await servers.replica.cli('REPLICAOF', '127.0.0.1', '1');
    const first = await app.post();
    expect([first.status, first.body.data.id]).toEqual([201, 1]);
    await app.failover();
    const retry = await app.post();
    expect([retry.status, retry.headers['idempotent-replayed'], retry.body.data.id, app.runs()]).toEqual([201, undefined, 2, 2]);
  }, 60_000);

  it('with waitReplicas: 1, a claim no replica acknowledged is a 503 and the handler does not run; after the failover it runs once', async () => {
    const servers = await start();
    const app = await setup(servers, 1);
    await servers.replica.cli('REPLICAOF', '127.0.0.1', '1');
    const refused = await app.post();
    expect([refused.status, refused.body.code, refused.headers['retry-after'], app.runs()]).toEqual([
      503,
      'IDEMPOTENCY_STORE_UNAVAILABLE',
      '1',
      0,
    ]);
    await app.failover();
    const retry = await app.post();
    expect([retry.status, retry.body.data.id]).toEqual([201, 1]);
    const again = await app.post();
    expect([again.status, again.headers['idempotent-replayed'], again.text, app.runs()]).toEqual([201, 'true', retry.text, 1]);
  }, 60_000);

  it('with waitReplicas: 1, an answered key was on the replica before the answer: after the failover it is replayed', async () => {
    const servers = await start();
    const app = await setup(servers, 1);
    const first = await app.post();
    expect([first.status, first.body.data.id]).toEqual([201, 1]);
    await app.failover();
    const retry = await app.post();
    expect([retry.status, retry.headers['idempotent-replayed'], retry.text, app.runs()]).toEqual([201, 'true', first.text, 1]);
  }, 60_000);
});
