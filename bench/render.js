// Render + serialize alone, as the engine does it (lib/fast-text.ts renderText: the spliced text, or
// render() then serialize()), for every preset and variant, against JSON.stringify(payload).
//
//   node bench/render.js                          timing: prints ns/op and × JSON.stringify
//   node bench/render.js count <case> <from> <to> for bench/instructions.js (see bench/pipeline.js)
// bench/run.js runs the timing in a child process of its own and takes the result over IPC.
'use strict';

const { Buffer } = require('node:buffer');
const { randomUUID } = require('node:crypto');
const { PAYLOADS } = require('./payloads');
const { FORMATS } = require('./variants');
const { median, round } = require('./stats');

/** Operations per case under valgrind, by payload (warm-up, end): about 0.1 G instructions counted. */
const COUNTS = { small: [10000, 15000], list: [1000, 1500] };

let sink = 0;

/** Every case: `{ id: 'small/vbapi', payload, name, fn }`; `name` is a format id or 'JSON.stringify'. */
function cases() {
  const { resolveFormat } = require('../dist/cjs/lib/registry');
  const { renderText } = require('../dist/cjs/lib/fast-text');
  const ctx = { requestId: randomUUID(), instance: '/clients', debug: false };
  const settings = {};
  const list = [];
  for (const { name: payload, value: data } of Object.values(PAYLOADS)) {
    list.push({ id: `${payload}/JSON.stringify`, payload, name: 'JSON.stringify', fn: () => JSON.stringify(data) });
    for (const { id, preset, options } of FORMATS) {
      const format = resolveFormat(preset, options);
      // A fresh outcome each time, as a request makes one.
      list.push({ id: `${payload}/${id}`, payload, name: id, fn: () => renderText(format, { kind: 'success', status: 200, data }, ctx, settings)[1] });
    }
  }
  return list;
}

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

/**
 * Warms every case up, then runs `batches` batches of ~`batchMs` each, the cases interleaved batch
 * by batch; reports the median ns/op of each case and its ratio to JSON.stringify of its payload.
 */
function runMicro({ batches = 15, batchMs = 20, warmupMs = 100 } = {}) {
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
    results[c.payload] ??= { bytes: Buffer.byteLength(JSON.stringify(PAYLOADS[c.payload].value)), ns: {}, ratio: {} };
    results[c.payload].ns[c.name] = median(c.samples);
  }
  for (const entry of Object.values(results)) {
    const base = entry.ns['JSON.stringify'];
    for (const [name, ns] of Object.entries(entry.ns)) {
      entry.ratio[name] = round(ns / base, 3);
      entry.ns[name] = round(ns, 0);
    }
  }
  return { batches, batchMs, results, sink: sink > 0 };
}

/** The instruction-count mode: `from` operations, process.uptime(), up to `to`, process.uptime(). */
function count(id, from, to) {
  const c = cases().find((x) => x.id === id);
  if (!c) throw new Error(`unknown render case "${id}"`);
  for (let i = 0; i < from; i++) sink += c.fn().length;
  // The counted part starts after a full GC (bench/instructions.js passes --expose-gc); the
  // scavenges its own requests cause fall inside it.
  globalThis.gc?.();
  process.uptime();
  for (let i = from; i < to; i++) sink += c.fn().length;
  process.uptime();
}

if (require.main === module) {
  const [mode, id, from, to] = process.argv.slice(2);
  if (mode === 'count') {
    count(id, Number(from), Number(to));
  } else {
    const micro = runMicro();
    if (process.send) {
      process.send({ type: 'micro', micro }, () => process.exit(0));
    } else {
      for (const [payload, { ns, ratio }] of Object.entries(micro.results)) {
        console.log(payload);
        for (const name of Object.keys(ns)) console.log(`  ${name.padEnd(18)} ${String(ns[name]).padStart(8)} ns/op  ×${ratio[name]}`);
      }
    }
  }
}

module.exports = { runMicro, cases, COUNTS };
