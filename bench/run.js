// `npm run bench`: builds the package, runs the rendering micro-benchmark, starts every variant's
// server in a child process, drives them in interleaved rounds, checks memory, and writes
// bench/results/latest.json, docs/performance.md and docs/performance.svg.
//
// Environment (all optional):
//   BENCH_ROUNDS=5  BENCH_SECONDS=2  BENCH_WARMUP=2.5  BENCH_CONNECTIONS=50  BENCH_PIPELINING=1
//   BENCH_MEMORY_REQUESTS=200000   BENCH_ONLY=small/,error/   BENCH_SKIP=build,micro,memory
// A run with BENCH_ONLY or BENCH_SKIP is partial: it writes to bench/results/tmp/, never to docs/.
'use strict';

const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { installCleanup, forkAndWait, startServer, killAll, pin } = require('./children');
const { probe, measureInterleaved } = require('./drive');
const { runMemoryCheck } = require('./memory');
const { machineInfo, sourceInfo, ROOT } = require('./machine');
const { summarize } = require('./summarize');
const { writeReport } = require('./report');
const { VARIANTS, GROUPS } = require('./variants');

function settingsFromEnv(env) {
  const number = (name, fallback) => {
    if (env[name] === undefined || env[name] === '') return fallback;
    const value = Number(env[name]);
    if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number, got "${env[name]}"`);
    return value;
  };
  const list = (name) => (env[name] ? env[name].split(',').map((s) => s.trim()).filter(Boolean) : []);
  return {
    rounds: Math.max(1, Math.round(number('BENCH_ROUNDS', 5))),
    seconds: Math.max(0.25, number('BENCH_SECONDS', 2)),
    warmup: number('BENCH_WARMUP', 2.5),
    connections: Math.max(1, Math.round(number('BENCH_CONNECTIONS', 50))),
    pipelining: Math.max(1, Math.round(number('BENCH_PIPELINING', 1))),
    memoryRequests: Math.round(number('BENCH_MEMORY_REQUESTS', 200_000)),
    only: list('BENCH_ONLY'),
    skip: list('BENCH_SKIP'),
  };
}

const started = Date.now();
const elapsed = () => ((Date.now() - started) / 1000).toFixed(1);
const log = (message) => console.log(`[${elapsed().padStart(6)} s] ${message}`);

function build() {
  const npm = process.env.npm_execpath;
  const [command, args] = npm ? [process.execPath, [npm, 'run', 'build']] : ['npm', ['run', 'build']];
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`npm run build failed (${result.signal || result.status})`);
}

/** Starts the servers a few at a time (each start loads Express: CPU-bound on a small machine). */
async function startAll(variants, concurrency = 4) {
  const servers = new Map();
  const queue = [...variants];
  const worker = async () => {
    for (let variant = queue.shift(); variant; variant = queue.shift()) servers.set(variant.id, await startServer(variant.id));
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return variants.map((variant) => ({ variant, server: servers.get(variant.id) }));
}

async function timed(phases, name, fn) {
  const t0 = Date.now();
  const value = await fn();
  phases[name] = Math.round((Date.now() - t0) / 100) / 10;
  return value;
}

async function main() {
  installCleanup();
  // The load generator on the first core, the servers on the last (bench/children.js).
  const pinned = pin(process.pid, 0);
  const settings = settingsFromEnv(process.env);
  const partial = settings.only.length > 0 || settings.skip.length > 0;
  const skip = new Set(settings.skip);
  const variants = settings.only.length ? VARIANTS.filter((v) => settings.only.some((p) => v.id.startsWith(p))) : VARIANTS;
  // A group's baseline and reference are measured even when BENCH_ONLY leaves them out.
  const needed = new Set(variants.map((v) => v.id));
  for (const group of GROUPS) {
    if (group.members.some((id) => needed.has(id))) for (const id of [group.baseline, group.reference]) if (id) needed.add(id);
  }
  const selected = VARIANTS.filter((v) => needed.has(v.id));
  const perLoad = settings.seconds + 0.3;
  const estimate = selected.length * (settings.warmup + 0.3 + settings.rounds * perLoad);
  log(
    `${selected.length} variants × ${settings.rounds} rounds × ${settings.seconds} s (+${settings.warmup} s warm-up each), ` +
      `${settings.connections} connections; HTTP part ≈ ${Math.round(estimate)} s`,
  );

  const phases = {};
  if (!skip.has('build')) {
    log('npm run build');
    await timed(phases, 'build', build);
  }

  let micro;
  if (!skip.has('micro')) {
    log('micro-benchmark of rendering (child process)');
    micro = await timed(phases, 'micro', async () => {
      const { child, message } = await forkAndWait(path.join(__dirname, 'render.js'), [], { expect: 'micro', timeoutMs: 180_000 });
      await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve()));
      return message.micro;
    });
  }

  const entries = await timed(phases, 'start', async () => {
    log(`starting ${selected.length} servers`);
    const list = await startAll(selected);
    for (const { server, variant } of list) await probe(server, variant);
    return list;
  });
  const samples = await timed(phases, 'http', () => measureInterleaved(entries, { ...settings, log }));
  killAll();

  let memory;
  if (!skip.has('memory')) {
    log(`memory check: ${settings.memoryRequests} requests`);
    memory = await timed(phases, 'memory', () =>
      runMemoryCheck({
        requests: settings.memoryRequests,
        warmupRequests: Math.max(settings.connections, Math.round(settings.memoryRequests / 20)),
        connections: settings.connections,
        log,
      }),
    );
  }

  const { only, skip: skipped, ...shown } = settings;
  const results = {
    date: new Date().toISOString(),
    machine: machineInfo(),
    source: sourceInfo(),
    settings: { ...shown, pinned, ...(partial ? { only, skip: skipped } : {}) },
    wallSeconds: { total: Math.round((Date.now() - started) / 100) / 10, ...phases },
    // A group is reported when BENCH_ONLY chose one of its members, not just lent it a baseline.
    ...summarize(samples, selected, GROUPS.filter((group) => group.members.some((id) => variants.some((v) => v.id === id)))),
    micro,
    memory,
  };
  const written = writeReport(results, { partial });
  printSummary(results);
  log(`wrote ${written.map((file) => path.relative(ROOT, file)).join(', ')}`);
}

function printSummary(results) {
  for (const group of results.groups) {
    console.log(`\n${group.title} (baseline ${group.baseline})`);
    for (const row of group.rows) {
      const v = results.variants[row.id];
      const ref = row.vsReference === undefined ? '' : `  ×hw ${row.vsReference.toFixed(3)} (cpu ${row.cpuVsReference.toFixed(3)})`;
      console.log(
        `  ${row.id.padEnd(32)} ${String(v.rps.median).padStart(7)} req/s  p99 ${String(v.p99).padStart(6)} ms  ${String(v.cpu.median).padStart(6)} µs/req` +
          `  ×base ${row.vsBaseline.toFixed(3)} (cpu ${row.cpuVsBaseline.toFixed(3)})${ref}` +
          (v.anomalies ? `  (${v.anomalies} unexpected responses/errors)` : ''),
      );
    }
  }
  const { stealPercent, roundSpreadPercent } = results.noise;
  if (stealPercent) console.log(`\nCPU steal during samples: median ${stealPercent.median} %, max ${stealPercent.max} %`);
  if (roundSpreadPercent !== undefined) console.log(`Spread of a variant's req/s over rounds (max−min)/median: median ${roundSpreadPercent} %`);
  console.log('\nTargets');
  for (const t of results.targets) {
    console.log(
      `  ${t.met ? 'met   ' : 'MISSED'} ${t.variant.padEnd(28)} CPU ${t.cpuRatio.toFixed(3)} (per round ${t.pairedCpu.median}, ${t.pairedCpu.min}–${t.pairedCpu.max}); ` +
        `req/s ${t.ratio.toFixed(3)} (per round ${t.paired.median}, ${t.paired.min}–${t.paired.max}) of ${t.against} (≥ ${t.min})`,
    );
  }
  console.log('');
}

main().catch((error) => {
  console.error(error);
  killAll();
  process.exit(1);
});
