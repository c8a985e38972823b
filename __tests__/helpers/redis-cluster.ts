// Gives a test suite a private Redis Cluster (3 masters, 3 replicas) or a primary with one replica:
// redis-server processes on free loopback ports, started and stopped (or killed mid-test) by pid.
// Without redis-server and redis-cli on PATH the suite is skipped with one line; under
// EXPECT_SERVICES=1 that is a failure (as for __tests__/helpers/redis.ts).

import { type ChildProcess, execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Cluster } from 'ioredis';
import { createCluster } from 'redis';
import { freePort, onPath, servicesExpected, spawnRedis, waitForPong } from './redis';

const run = promisify(execFile);

/** The tag that scripts/summary-reporter.js looks for in a skipped suite's title. */
export const REDIS_CLUSTER_SKIP_TITLE =
  '[skipped: needs Redis: no redis-server or redis-cli on PATH; install redis-server (with redis-cli) to run them]';

/** One redis-server of a suite. */
export interface RedisNode {
  port: number;
  pid: number;
  alive(): boolean;
  /** SIGKILL: the process dies at once, as a crashed host would. */
  kill(): Promise<void>;
  /** SIGSTOP / SIGCONT: the process stops answering (and replicating) until resumed. */
  pause(): void;
  resume(): void;
  /** Sends one command through redis-cli and resolves its raw output. */
  cli(...args: string[]): Promise<string>;
}

/** Every process started here, so that none outlives the test run whatever happens. */
const started = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of started) child.kill('SIGKILL');
});

async function startNode(binary: string, cli: string, dir: string, args: string[]): Promise<RedisNode> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const extra = args.includes('--cluster-enabled') ? ['--cluster-port', String(await freePort())] : [];
    const { child, gone, exited } = spawnRedis(binary, port, dir, [
      '--dbfilename',
      `dump-${port}.rdb`,
      '--logfile',
      join(dir, `redis-${port}.log`),
      '--repl-diskless-sync-delay',
      '0',
      ...extra,
      ...args.map((a) => a.replace('{port}', String(port))),
    ]);
    started.add(child);
    void gone.then(() => started.delete(child));
    try {
      await waitForPong(port, 10_000, exited);
      return {
        port,
        pid: child.pid as number,
        alive: () => !exited(),
        kill: async () => {
          if (!exited()) {
            child.kill('SIGCONT');
            child.kill('SIGKILL');
          }
          await gone;
        },
        pause: () => void child.kill('SIGSTOP'),
        resume: () => void child.kill('SIGCONT'),
        cli: async (...command: string[]) => (await run(cli, ['-p', String(port), ...command], { timeout: 10_000 })).stdout,
      };
    } catch (err) {
      if (!exited()) child.kill('SIGKILL');
      await gone;
      lastError = err;
    }
  }
  throw lastError;
}

/** The cluster hash slot of a key (CRC16/XMODEM of the key or its {hash tag}, modulo 16384). */
export function slotOf(key: string): number {
  const open = key.indexOf('{');
  const close = open === -1 ? -1 : key.indexOf('}', open + 1);
  const hashed = Buffer.from(close > open + 1 ? key.slice(open + 1, close) : key);
  let crc = 0;
  for (const byte of hashed) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc % 16384;
}

async function until(what: string, check: () => Promise<boolean>, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A Redis Cluster of 3 masters and 3 replicas. */
export interface RedisCluster {
  nodes: RedisNode[];
  /** cluster-node-timeout, in milliseconds. */
  nodeTimeoutMs: number;
  /** Where a client starts: every node's address. */
  rootNodes: Array<{ host: string; port: number }>;
  /** The live node that is master for `key` now. */
  masterOf(key: string): Promise<RedisNode>;
  /** The ports of the live masters now, each with the slots it serves. */
  masters(): Promise<Array<{ port: number; serves(slot: number): boolean }>>;
  /** Resolves once every slot is served by a live master and the cluster says ok on every live node. */
  healthy(ms?: number): Promise<void>;
  stop(): Promise<void>;
}

interface ClusterNodeLine {
  port: number;
  master: boolean;
  failed: boolean;
  slots: Array<[number, number]>;
}

function clusterNodes(output: string): ClusterNodeLine[] {
  return output
    .trim()
    .split('\n')
    .map((line) => {
      const [, address, flags, , , , , , ...slots] = line.split(' ');
      return {
        port: Number(address.split('@')[0].split(':')[1]),
        master: flags.includes('master'),
        failed: flags.includes('fail'),
        slots: slots
          .filter((s) => !s.startsWith('['))
          .map((s) => s.split('-').map(Number) as [number, number])
          .map(([a, b]) => [a, b ?? a] as [number, number]),
      };
    });
}

async function startCluster(binary: string, cli: string, nodeTimeoutMs: number): Promise<RedisCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'express-envelope-redis-cluster-'));
  const nodes: RedisNode[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(nodes.map((node) => node.kill()));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const args = [
      '--cluster-enabled',
      'yes',
      '--cluster-config-file',
      'nodes-{port}.conf',
      '--cluster-node-timeout',
      String(nodeTimeoutMs),
      '--cluster-replica-validity-factor',
      '0',
    ];
    for (let i = 0; i < 6; i++) nodes.push(await startNode(binary, cli, dir, args));
    await run(cli, ['--cluster', 'create', ...nodes.map((n) => `127.0.0.1:${n.port}`), '--cluster-replicas', '1', '--cluster-yes'], {
      timeout: 60_000,
    });
    const live = () => nodes.filter((n) => n.alive());
    const view = async (): Promise<ClusterNodeLine[]> => clusterNodes(await live()[0].cli('CLUSTER', 'NODES'));
    const cluster: RedisCluster = {
      nodes,
      nodeTimeoutMs,
      rootNodes: nodes.map((n) => ({ host: '127.0.0.1', port: n.port })),
      async masterOf(key) {
        const slot = slotOf(key);
        const owner = (await view()).find((n) => n.master && !n.failed && n.slots.some(([a, b]) => slot >= a && slot <= b));
        const node = nodes.find((n) => n.port === owner?.port && n.alive());
        if (!node) throw new Error(`no live master for slot ${slot}`);
        return node;
      },
      async masters() {
        return (await view())
          .filter((n) => n.master && !n.failed)
          .map((n) => ({ port: n.port, serves: (slot: number) => n.slots.some(([a, b]) => slot >= a && slot <= b) }));
      },
      async healthy(ms = 30_000) {
        await until(
          'the cluster to be ok',
          async () => {
            for (const node of live()) if (!(await node.cli('CLUSTER', 'INFO')).includes('cluster_state:ok')) return false;
            const lines = await view();
            const masters = lines.filter((n) => n.master && !n.failed && nodes.find((x) => x.port === n.port)?.alive());
            const covered = masters.reduce((sum, n) => sum + n.slots.reduce((s, [a, b]) => s + b - a + 1, 0), 0);
            if (covered !== 16384) return false;
            // Every live replica has finished its sync, so a failover can promote it.
            for (const node of live()) {
              const info = await node.cli('INFO', 'replication');
              if (info.includes('role:slave') && !info.includes('master_link_status:up')) return false;
            }
            return true;
          },
          ms,
        );
      },
      stop,
    };
    await cluster.healthy(60_000);
    return cluster;
  } catch (err) {
    await stop();
    throw err;
  }
}

/** A primary and one replica of it (no Sentinel: a test promotes the replica itself). */
export interface RedisReplication {
  primary: RedisNode;
  replica: RedisNode;
  /** Resolves once the replica has finished its sync with the primary. */
  synced(ms?: number): Promise<void>;
  stop(): Promise<void>;
}

async function startReplication(binary: string, cli: string): Promise<RedisReplication> {
  const dir = mkdtempSync(join(tmpdir(), 'express-envelope-redis-replication-'));
  const nodes: RedisNode[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(nodes.map((node) => node.kill()));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const primary = await startNode(binary, cli, dir, []);
    nodes.push(primary);
    const replica = await startNode(binary, cli, dir, ['--replicaof', '127.0.0.1', String(primary.port)]);
    nodes.push(replica);
    const synced = (ms = 30_000) =>
      until('the replica to sync', async () => (await replica.cli('INFO', 'replication')).includes('master_link_status:up'), ms);
    await synced();
    return { primary, replica, synced, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

function describeWith<T>(
  title: string,
  start: (binary: string, cli: string) => Promise<T & { stop(): Promise<void> }>,
  fn: (target: () => T) => void,
): void {
  const binary = onPath('redis-server');
  const cli = onPath('redis-cli');
  if (!binary || !cli) {
    if (servicesExpected()) {
      describe(title, () => {
        it('has redis-server and redis-cli to run against', () => {
          throw new Error('EXPECT_SERVICES is set but redis-server or redis-cli is not on PATH');
        });
      });
    } else {
      describe.skip(`${REDIS_CLUSTER_SKIP_TITLE} ${title}`, () => fn(() => ({}) as T));
    }
    return;
  }
  describe(title, () => {
    let target: (T & { stop(): Promise<void> }) | undefined;
    beforeAll(async () => {
      target = await start(binary, cli);
    }, 120_000);
    fn(() => {
      if (!target) throw new Error('Redis is not ready: read it inside a hook or a test');
      return target;
    });
    // Declared after the suite's own hooks, so its afterAll (closing its clients) runs first.
    afterAll(async () => {
      await target?.stop();
    }, 30_000);
  });
}

/** A describe block with a private Redis Cluster (3 masters, 3 replicas, cluster-node-timeout `nodeTimeoutMs`). */
export function describeWithRedisCluster(title: string, fn: (cluster: () => RedisCluster) => void, nodeTimeoutMs = 1000): void {
  describeWith(title, (binary, cli) => startCluster(binary, cli, nodeTimeoutMs), fn);
}

/**
 * A describe block whose tests start primaries with one replica each (`start()`, as many as they
 * need, for tests that kill them); every one is stopped in the block's afterAll.
 */
export function describeWithRedisReplication(title: string, fn: (start: () => Promise<RedisReplication>) => void): void {
  describeWith(
    title,
    async (binary, cli) => {
      const pairs: RedisReplication[] = [];
      return {
        start: async () => {
          const pair = await startReplication(binary, cli);
          pairs.push(pair);
          return pair;
        },
        stop: async () => {
          await Promise.all(pairs.map((pair) => pair.stop()));
        },
      };
    },
    (target: () => { start: () => Promise<RedisReplication> }) => fn(() => target().start()),
  );
}

/** The two cluster clients the docs' recipes use. */
export type ClusterClientKind = 'ioredis' | 'node-redis';
export const CLUSTER_CLIENT_KINDS: ClusterClientKind[] = ['ioredis', 'node-redis'];

/** Sends one command to the node that serves `key` (a cluster client's `sendCommand`). */
export type ClusterSend = (key: string | undefined, isReadOnly: boolean, command: string[]) => Promise<unknown>;

/**
 * A connected cluster client of `kind`, with the settings docs/idempotency.md and
 * docs/rate-limiting.md give (no offline queue, fast failover), as its send function; its close goes
 * into `closers`, for the suite's afterAll.
 */
export async function clusterSend(
  kind: ClusterClientKind,
  cluster: RedisCluster,
  closers: Array<() => Promise<unknown>>,
): Promise<ClusterSend> {
  if (kind === 'ioredis') {
    const client = new Cluster(cluster.rootNodes, {
      enableOfflineQueue: false,
      slotsRefreshTimeout: 1000,
      retryDelayOnFailover: 200,
      redisOptions: { connectTimeout: 1000, maxRetriesPerRequest: 1 },
    });
    client.on('error', () => undefined);
    closers.push(() => client.quit().catch(() => client.disconnect()));
    await new Promise((resolve, reject) => client.once('ready', resolve).once('end', reject));
    return (_key, _isReadOnly, [name, ...args]) => client.call(name, ...args);
  }
  const client = createCluster({
    rootNodes: cluster.rootNodes.map(({ host, port }) => ({ socket: { host, port } })),
    defaults: {
      disableOfflineQueue: true,
      socket: { connectTimeout: 1000, reconnectStrategy: (retries: number) => Math.min(100 * (retries + 1), 500) },
    },
    topologyRefreshOnReconnectionAttemptStrategy: 500,
  });
  client.on('error', () => undefined);
  await client.connect();
  closers.push(async () => client.destroy());
  return (key, isReadOnly, command) => client.sendCommand(key, isReadOnly, command);
}
