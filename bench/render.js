// Micro-benchmark of rendering alone: for each preset, format.render(outcome, ctx) then serialize(body),
// against JSON.stringify of the bare payload, in ns per operation.
//
// Run by bench/run.js in a child process of its own (fresh JIT, no server in the same isolate); it
// reports over IPC. Alone: `node bench/render.js` prints the table.
'use strict';

const { Buffer } = require('node:buffer');
const { randomUUID } = require('node:crypto');
const { PAYLOADS } = require('./payloads');
const { PRESETS } = require('./variants');
const { median, round } = require('./stats');

let sink = 0;

/** Times `n` calls of `fn`; ns per call. */
function time(fn, n) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) sink += fn().length;
  return Number(process.hrtime.bigint() - start) / n;
}

/** How many calls take about `ms` milliseconds. */
function calibrate(fn, ms) {
  let n = 64;
  for (;;) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) sink += fn().length;
    const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
    if (elapsed >= ms / 4 || n >= 1 << 24) return Math.max(1, Math.round((n * ms) / Math.max(elapsed, 0.001)));
    n *= 4;
  }
}

function cases() {
  const { resolveFormat, serialize } = require('../dist/cjs');
  const ctx = { requestId: randomUUID(), instance: '/clients', debug: false };
  const list = [];
  for (const payload of Object.values(PAYLOADS)) {
    const data = payload.value;
    list.push({ payload: payload.name, name: 'JSON.stringify', fn: () => JSON.stringify(data) });
    for (const preset of PRESETS) {
      const format = resolveFormat(preset);
      list.push({
        payload: payload.name,
        name: preset,
        // A fresh outcome each time, as a request makes one.
        fn: () => serialize(format.render({ kind: 'success', status: 200, data }, ctx).body),
      });
    }
  }
  return list;
}

/**
 * Warms every case up, then runs `batches` batches of ~`batchMs` each, the cases interleaved batch
 * by batch; reports the median ns/op of each case and its ratio to JSON.stringify of its payload.
 */
function runMicro({ batches = 21, batchMs = 25, warmupMs = 150 } = {}) {
  const list = cases();
  for (const c of list) {
    c.n = calibrate(c.fn, warmupMs);
    time(c.fn, c.n);
    c.n = Math.max(1, Math.round((c.n * batchMs) / warmupMs));
    c.samples = [];
  }
  for (let b = 0; b < batches; b++) for (const c of list) c.samples.push(time(c.fn, c.n));
  const results = {};
  for (const c of list) {
    results[c.payload] ??= { bytes: Buffer.byteLength(JSON.stringify(PAYLOADS[c.payload].value)), ns: {} };
    results[c.payload].ns[c.name] = median(c.samples);
  }
  for (const entry of Object.values(results)) {
    const base = entry.ns['JSON.stringify'];
    entry.ratio = {};
    for (const [name, ns] of Object.entries(entry.ns)) {
      entry.ratio[name] = round(ns / base, 2);
      entry.ns[name] = round(ns, 0);
    }
  }
  return { batches, batchMs, results, sink: sink > 0 };
}

if (require.main === module) {
  const options = {
    batches: Number(process.env.BENCH_MICRO_BATCHES) || undefined,
    batchMs: Number(process.env.BENCH_MICRO_MS) || undefined,
  };
  const micro = runMicro(options);
  if (process.send) {
    process.send({ type: 'micro', micro }, () => process.exit(0));
  } else {
    for (const [payload, { ns, ratio }] of Object.entries(micro.results)) {
      console.log(payload);
      for (const name of Object.keys(ns)) console.log(`  ${name.padEnd(18)} ${String(ns[name]).padStart(8)} ns/op  ×${ratio[name]}`);
    }
  }
}

module.exports = { runMicro };
