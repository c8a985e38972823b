// Gives a Redis test suite its server: a private throwaway redis-server when the binary is on PATH,
// else REDIS_URL, else the suite is skipped with one line in the run's summary (see docs/internals/testing.md).

import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { type AddressInfo, type Socket, connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import Redis, { type RedisOptions } from 'ioredis';

/** Where a suite's Redis answers; filled in by the suite's beforeAll, so read it inside tests. */
export interface RedisTarget {
  host: string;
  port: number;
  username?: string;
  password?: string;
  db?: number;
  /** `private` (a redis-server this suite started) or `url` (REDIS_URL). */
  source: 'private' | 'url';
}

/** The tag that scripts/summary-reporter.js looks for in a skipped suite's title. */
export const REDIS_SKIP_TITLE =
  '[skipped: needs Redis: no redis-server on PATH and REDIS_URL unset; install redis-server or set REDIS_URL=redis://host:port to run them]';

/** EXPECT_SERVICES=1 (as .ci/run sets it) turns a missing Redis into a failure instead of a skip. */
export function servicesExpected(): boolean {
  const value = process.env.EXPECT_SERVICES;
  return value !== undefined && value !== '' && value !== '0' && value !== 'false';
}

/** The path of an executable on PATH, or undefined. */
export function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const file = join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

function fromUrl(url: string): RedisTarget {
  const parsed = new URL(url);
  if (parsed.protocol !== 'redis:') throw new Error(`REDIS_URL must be a redis:// URL, got ${parsed.protocol}`);
  const db = parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : undefined;
  return {
    host: parsed.hostname || '127.0.0.1',
    port: parsed.port ? Number(parsed.port) : 6379,
    username: parsed.username ? decodeURIComponent(parsed.username) : undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    db,
    source: 'url',
  };
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Resolves when something at host:port answers PING with PONG; rejects after `ms`. */
export async function waitForPong(port: number, ms: number, exited: () => boolean): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      const done = (value: boolean) => {
        socket.destroy();
        resolve(value);
      };
      socket.setTimeout(500, () => done(false));
      socket.once('error', () => done(false));
      socket.once('connect', () => socket.write('PING\r\n'));
      socket.once('data', (chunk) => done(chunk.toString().startsWith('+PONG')));
    });
    if (ok) return;
    if (exited() || Date.now() > deadline) throw new Error(`redis-server on port ${port} did not answer PING`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A started redis-server, and how to tell it has gone. */
export interface SpawnedRedis {
  child: ChildProcess;
  /** Resolves when the process has exited. */
  gone: Promise<void>;
  exited(): boolean;
}

/**
 * Spawns a throwaway redis-server on `port` of 127.0.0.1, keeping nothing on disk (its files in
 * `dir`), with `extra` arguments after the common ones.
 */
export function spawnRedis(binary: string, port: number, dir: string, extra: string[]): SpawnedRedis {
  const child = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, ...extra], {
    stdio: 'ignore',
  });
  let exited = false;
  const gone = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      resolve();
    }),
  );
  child.once('error', () => {
    exited = true;
  });
  return { child, gone, exited: () => exited };
}

interface PrivateServer {
  port: number;
  stop(): Promise<void>;
}

/** Starts a throwaway redis-server (no persistence, its own directory) on a free loopback port. */
async function startPrivate(binary: string): Promise<PrivateServer> {
  const dir = mkdtempSync(join(tmpdir(), 'express-envelope-redis-'));
  let lastError: unknown;
  // A free port can be taken between the probe and the bind; a couple of tries covers that race.
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const { child, gone, exited } = spawnRedis(binary, port, dir, ['--logfile', join(dir, 'redis.log')]);
    try {
      await waitForPong(port, 10_000, exited);
      return {
        port,
        stop: async () => {
          if (!exited()) child.kill('SIGKILL');
          await gone;
          rmSync(dir, { recursive: true, force: true });
        },
      };
    } catch (err) {
      if (!exited()) child.kill('SIGKILL');
      await gone;
      let log = '';
      try {
        log = readFileSync(join(dir, 'redis.log'), 'utf8').trim().split('\n').slice(-3).join(' | ');
      } catch {
        // no log written
      }
      lastError = new Error(`${(err as Error).message}${log ? `: ${log}` : ''}`);
    }
  }
  rmSync(dir, { recursive: true, force: true });
  throw lastError;
}

/**
 * A describe block for tests that need Redis. Inside `fn`, read `redis()` from within hooks or
 * tests (never at collection time): it is filled in by the block's own beforeAll.
 */
export function describeWithRedis(title: string, fn: (redis: () => RedisTarget) => void): void {
  const binary = onPath('redis-server');
  const url = process.env.REDIS_URL;
  if (!binary && !url) {
    if (servicesExpected()) {
      describe(title, () => {
        it('has a Redis to run against', () => {
          throw new Error('EXPECT_SERVICES is set but there is no redis-server on PATH and REDIS_URL is unset');
        });
      });
    } else {
      describe.skip(`${REDIS_SKIP_TITLE} ${title}`, () => fn(() => ({ host: '127.0.0.1', port: 0, source: 'url' })));
    }
    return;
  }
  describe(title, () => {
    let target: RedisTarget | undefined;
    let server: PrivateServer | undefined;
    beforeAll(async () => {
      if (binary) {
        server = await startPrivate(binary);
        target = { host: '127.0.0.1', port: server.port, source: 'private' };
      } else {
        target = fromUrl(url as string);
      }
    }, 30_000);
    fn(() => {
      if (!target) throw new Error('Redis is not ready: read redis() inside a hook or a test');
      return target;
    });
    // Declared after the suite's own hooks, so its afterAll (closing its clients) runs first.
    afterAll(async () => {
      await server?.stop();
    });
  });
}

/** A TCP hop in front of Redis that the test can cut, so Redis "goes away" mid-test for its client. */
export async function cuttableRedis(target: RedisTarget): Promise<{ port: number; cut: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    const upstream = connect(target.port, target.host);
    sockets.add(socket).add(upstream);
    socket.pipe(upstream).pipe(socket);
    const close = (): void => {
      socket.destroy();
      upstream.destroy();
    };
    socket.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    cut: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}

/** Fail at once while Redis is away instead of queueing commands: what the docs advise. */
export const FAIL_FAST: RedisOptions = { enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null };

/** ioredis clients of a suite's Redis, each remembered so that the suite can close them all. */
export function ioredisClients(target: () => RedisTarget): {
  client(options?: RedisOptions): Redis;
  ready(redis: Redis): Promise<void>;
  closeAll(): Promise<void>;
} {
  const clients: Redis[] = [];
  return {
    client(options = {}) {
      const { host, port, username, password, db } = target();
      const redis = new Redis({ host, port, username, password, db, ...options });
      redis.on('error', () => undefined);
      clients.push(redis);
      return redis;
    },
    async ready(redis) {
      if (redis.status !== 'ready') await new Promise((resolve) => redis.once('ready', resolve));
    },
    // A client whose connection is already gone ('end') is left alone: ioredis's quit() would arm a
    // 2 s timer waiting for a 'close' its dead socket already emitted, and jest would not exit.
    async closeAll() {
      await Promise.all(clients.filter((c) => c.status !== 'end').map((c) => c.quit().catch(() => c.disconnect())));
    },
  };
}
