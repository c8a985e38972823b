// The Redis harness itself: which server a Redis suite gets (see __tests__/helpers/redis.ts).

import { tmpdir } from 'node:os';
import Redis from 'ioredis';
import { describeWithRedis } from './helpers/redis';

describeWithRedis('the Redis harness', (redisTarget) => {
  it('gives a private throwaway server when redis-server is on PATH, else REDIS_URL', async () => {
    const { host, port, username, password, db, source } = redisTarget();
    const redis = new Redis({ host, port, username, password, db, lazyConnect: true, maxRetriesPerRequest: 0 });
    try {
      await redis.connect();
      expect(await redis.ping()).toBe('PONG');
      if (source === 'private') {
        expect(host).toBe('127.0.0.1');
        expect(await redis.config('GET', 'save')).toEqual(['save', '']);
        expect(await redis.config('GET', 'appendonly')).toEqual(['appendonly', 'no']);
        const [, dir] = (await redis.config('GET', 'dir')) as string[];
        expect(dir.startsWith(tmpdir())).toBe(true);
        expect(await redis.dbsize()).toBe(0);
      } else {
        expect(process.env.REDIS_URL).toBeDefined();
        expect(port).toBe(new URL(process.env.REDIS_URL as string).port ? Number(new URL(process.env.REDIS_URL as string).port) : 6379);
      }
      process.stdout.write(`redis harness: ${source} server at ${host}:${port}\n`);
    } finally {
      await redis.quit();
    }
  });
});
