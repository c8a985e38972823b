// `npm run bench:memory-store`: what memoryIdempotencyStore() costs per operation, and per key held,
// from 1e3 to 1e6 keys. For each size N (BENCH_SIZES, default 1000,10000,100000,1000000):
//   fill     - N claims and finishes of fresh keys into an empty store (maxKeys N);
//   evict    - BENCH_OPS (default 20000) claims and finishes of fresh keys into the full store:
//              each finish evicts the least recently used stored response;
//   replay   - BENCH_OPS claims of keys already stored (what a retry costs).
// Per operation: median, mean, p99 and the slowest one, in microseconds (on a busy machine the
// slowest ones are the scheduler's, not the store's: read the median). Bytes per key: heap growth over
// the fill (after a forced GC) divided by N. Responses are 200 bytes of body and one header, as a
// small JSON answer. Run with node --expose-gc (the npm script does). Prints one JSON line per N.
'use strict';

const { Buffer } = require('node:buffer');
const path = require('node:path');
const { memoryIdempotencyStore } = require(path.join(__dirname, '..', 'dist', 'cjs', 'index.js'));

const SIZES = (process.env.BENCH_SIZES ?? '1000,10000,100000,1000000').split(',').map(Number);
const OPS = Number(process.env.BENCH_OPS ?? 20_000);
const RESPONSE = {
  status: 201,
  headers: [['Content-Type', 'application/json; charset=utf-8']],
  body: Buffer.alloc(200, 120).toString('base64'),
};
const LOCK_MS = 60_000;
const TTL_MS = 86_400_000;

function gc() {
  if (global.gc) {
    global.gc();
    global.gc();
  }
}

function lock(i) {
  return { state: 'running', token: `token-${i}`, fingerprint: `fingerprint-${i}`.padEnd(64, '0') };
}

/** Runs `op(i)` for i in [from, to), timing each; resolves the figures in microseconds. */
async function timed(from, to, op) {
  const each = new Float64Array(to - from);
  for (let i = from; i < to; i++) {
    const start = process.hrtime.bigint();
    await op(i);
    each[i - from] = Number(process.hrtime.bigint() - start) / 1000;
  }
  const sorted = Array.from(each).sort((a, b) => a - b);
  const mean = sorted.reduce((sum, x) => sum + x, 0) / sorted.length;
  return {
    p50Us: +sorted[Math.floor(sorted.length * 0.5)].toFixed(2),
    meanUs: +mean.toFixed(2),
    p99Us: +sorted[Math.floor(sorted.length * 0.99)].toFixed(2),
    maxUs: +sorted[sorted.length - 1].toFixed(1),
  };
}

async function claimAndFinish(store, i) {
  const key = `scope:key-${i}`;
  await store.claim(key, lock(i), LOCK_MS);
  await store.finish(key, lock(i), RESPONSE, TTL_MS);
}

async function measure(size) {
  gc();
  const before = process.memoryUsage().heapUsed;
  // maxBytes high enough that maxKeys is the bound that binds.
  const store = memoryIdempotencyStore({ maxKeys: size, maxBytes: size * 4096 });
  const fill = await timed(0, size, (i) => claimAndFinish(store, i));
  gc();
  const bytesPerKey = Math.round((process.memoryUsage().heapUsed - before) / size);
  const evict = await timed(size, size + OPS, (i) => claimAndFinish(store, i));
  const replay = await timed(0, OPS, (i) => store.claim(`scope:key-${size + OPS - 1 - (i % size)}`, lock(-1), LOCK_MS));
  return { keys: size, bytesPerKey, fill, evict, replay };
}

(async () => {
  if (!global.gc) process.stderr.write('run with node --expose-gc for bytes per key\n');
  process.stdout.write(`# node ${process.version}, ${OPS} operations per phase\n`);
  for (const size of SIZES) process.stdout.write(JSON.stringify(await measure(size)) + '\n');
})();
