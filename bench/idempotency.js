// `npm run bench:idempotency`: what a replay costs against running the handler. One server process
// (requestId, express.json, envelope('wispanel'), idempotency() with the memory store, or Redis when
// REDIS_URL is set) is driven by autocannon in three modes, one after the other:
//   none   - no Idempotency-Key: the handler runs unprotected (the baseline);
//   run    - a fresh key on every request: claim, handler, store;
//   replay - one key for every request: claim finds the stored response and replays it.
// The handler does a fixed amount of work (HANDLER_WORK_MS of busy CPU, default 1), standing in for
// a database call. Bounded: BENCH_SECONDS (default 5) per mode, BENCH_CONNECTIONS (default 10).
'use strict';

const { fork } = require('node:child_process');
const path = require('node:path');

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const WORK_MS = Number(process.env.HANDLER_WORK_MS ?? 1);

function serve() {
  const express = require('express');
  const { requestId, envelope, idempotency, errorHandler, memoryIdempotencyStore, redisIdempotencyStore } = require(
    path.join(__dirname, '..', 'dist', 'cjs', 'index.js'),
  );
  let store = memoryIdempotencyStore({ maxKeys: 1_000_000 });
  let redis;
  if (process.env.REDIS_URL) {
    const Redis = require('ioredis');
    redis = new Redis(process.env.REDIS_URL, { enableOfflineQueue: false });
    store = redisIdempotencyStore({ sendCommand: (command, ...args) => redis.call(command, ...args), prefix: `bench:${process.pid}:` });
  }
  const app = express();
  app.use(requestId());
  app.use(express.json());
  app.use(envelope('wispanel'));
  app.use(idempotency({ store, log: false }));
  let runs = 0;
  app.post('/payments', (req, res) => {
    runs++;
    const until = process.hrtime.bigint() + BigInt(Math.round(WORK_MS * 1e6));
    while (process.hrtime.bigint() < until) {
      // busy: the handler's own work
    }
    res.status(201).location(`/payments/${runs}`).json({ id: runs, amount: req.body.amount, currency: 'EUR' });
  });
  app.use(errorHandler({ log: false }));
  const server = app.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
  process.on('message', (message) => {
    if (message === 'runs') process.send({ runs });
    if (message === 'stop') server.close(() => (redis ? redis.quit() : Promise.resolve()).finally(() => process.exit(0)));
  });
}

async function drive() {
  const autocannon = require('autocannon');
  const child = fork(path.join(__dirname, 'idempotency.js'), ['--server'], { stdio: 'inherit' });
  const ask = (message) =>
    new Promise((resolve) => {
      child.once('message', resolve);
      if (message) child.send(message);
    });
  const { port } = await ask();
  const body = JSON.stringify({ amount: 10 });
  const headers = { 'content-type': 'application/json' };
  let counter = 0;
  const modes = {
    none: { method: 'POST', path: '/payments', headers, body },
    run: {
      method: 'POST',
      path: '/payments',
      body,
      setupRequest: (req) => ({ ...req, headers: { ...headers, 'idempotency-key': `run-${process.pid}-${++counter}` } }),
    },
    replay: { method: 'POST', path: '/payments', headers: { ...headers, 'idempotency-key': 'replay-key' }, body },
  };
  const results = {};
  for (const [mode, request] of Object.entries(modes)) {
    const before = (await ask('runs')).runs;
    const result = await autocannon({ url: `http://127.0.0.1:${port}`, connections: CONNECTIONS, duration: SECONDS, requests: [request] });
    const after = (await ask('runs')).runs;
    results[mode] = {
      'req/s (mean)': Math.round(result.requests.average),
      'p50 ms': result.latency.p50,
      'p99 ms': result.latency.p99,
      requests: result.requests.total,
      'handler runs': after - before,
      non2xx: result.non2xx,
    };
  }
  child.send('stop');
  console.log(
    `idempotency bench: store=${process.env.REDIS_URL ? 'redis' : 'memory'}, ${SECONDS}s per mode, ${CONNECTIONS} connections, handler work ${WORK_MS} ms, node ${process.version}`,
  );
  console.table(results);
  const ratio = results.replay['req/s (mean)'] / results.run['req/s (mean)'];
  console.log(
    `replay / run throughput: ${ratio.toFixed(2)}x; run / none: ${(results.run['req/s (mean)'] / results.none['req/s (mean)']).toFixed(2)}x`,
  );
  console.log('Shared, noisy machine: read the ratios, not the absolute figures.');
}

if (process.argv.includes('--server')) serve();
else
  drive().catch((err) => {
    console.error(err);
    process.exit(1);
  });
