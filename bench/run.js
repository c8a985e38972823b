// `npm run bench`: the timing run. Builds the package, times render + serialize, starts every timed
// variant's server in a child process, calibrates (bench/calibrate.js), drives the servers in
// interleaved rounds, calibrates again, checks memory, and publishes (bench/results/latest.json,
// docs/internals/benchmarks.md) only when the calibration passed. Otherwise it writes
// bench/results/tmp/refused.json, says why, and exits with status 3.
//
// Environment (all optional):
//   BENCH_ROUNDS=3  BENCH_SECONDS=2  BENCH_WARMUP=1  BENCH_CONNECTIONS=50
//   BENCH_MEMORY_REQUESTS=50000  BENCH_ONLY=small/,error/  BENCH_SKIP=build,micro,memory
// A run with BENCH_ONLY or BENCH_SKIP is partial: it writes bench/results/tmp/partial.json only.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { installCleanup, forkAndWait, startServer, killAll, pin } = require('./children');
const { probe, measureInterleaved, load } = require('./drive');
const { runMemoryCheck } = require('./memory');
const { machineInfo, sourceInfo, ROOT } = require('./machine');
const calibration = require('./calibrate');
const { summarize } = require('./summarize');
const { writeDocs } = require('./report');
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
    rounds: Math.max(1, Math.round(number('BENCH_ROUNDS', 3))),
    seconds: Math.max(0.25, number('BENCH_SECONDS', 2)),
    warmup: number('BENCH_WARMUP', 1),
    connections: Math.max(1, Math.round(number('BENCH_CONNECTIONS', 50))),
    memoryRequests: Math.round(number('BENCH_MEMORY_REQUESTS', 50_000)),
    only: list('BENCH_ONLY'),
    skip: list('BENCH_SKIP'),
  };
}

const started = Date.now();
const log = (message) => console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s] ${message}`);

function build() {
  const result = spawnSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs')], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`the build failed (${result.signal || result.status})`);
}

async function timed(phases, name, fn) {
  const t0 = Date.now();
  const value = await fn();
  phases[name] = Math.round((Date.now() - t0) / 100) / 10;
  return value;
}

function write(file, results) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  return path.relative(ROOT, file);
}

async function main() {
  installCleanup();
  // Recorded before the run starts anything: the load the machine already had.
  const machine = { ...machineInfo(), ...calibration.snapshot() };
  // The load generator on the first core, the servers on the last (bench/children.js).
  const pinned = pin(process.pid, 0);
  const settings = settingsFromEnv(process.env);
  const partial = settings.only.length > 0 || settings.skip.length > 0;
  const skip = new Set(settings.skip);
  const timedVariants = VARIANTS.filter((v) => v.runners.includes('timing'));
  const chosen = settings.only.length ? timedVariants.filter((v) => settings.only.some((p) => v.id.startsWith(p))) : timedVariants;
  // Baselines come along, and the calibration needs the ceiling and bare Express.
  const needed = new Set(['small/ceiling', 'small/bare', ...chosen.map((v) => v.id)]);
  for (const group of GROUPS) if (group.members.some((id) => needed.has(id))) needed.add(group.baseline);
  const selected = timedVariants.filter((v) => needed.has(v.id));
  const perServer = settings.warmup + settings.rounds * (settings.seconds + 0.3);
  log(
    `${selected.length} servers × (${settings.warmup} s warm-up + ${settings.rounds} rounds × ${settings.seconds} s), ` +
      `${settings.connections} connections: about ${Math.round(selected.length * perServer + 14)} s of load; ` +
      `load average ${machine.loadAverage.join(' ')} on ${machine.cores} cores`,
  );

  const phases = {};
  if (!skip.has('build')) await timed(phases, 'build', build);

  let micro;
  if (!skip.has('micro')) {
    log('render + serialize micro-benchmark (child process)');
    micro = await timed(phases, 'micro', async () => {
      const { child, message } = await forkAndWait(path.join(__dirname, 'render.js'), [], { expect: 'micro', timeoutMs: 120_000 });
      await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve()));
      return message.micro;
    });
  }

  const entries = await timed(phases, 'start', async () => {
    const list = [];
    for (const variant of selected) {
      const server = await startServer(variant.id);
      await probe(server, variant);
      list.push({ variant, server });
    }
    return list;
  });
  const server = (id) => entries.find((e) => e.variant.id === id).server;

  if (settings.warmup > 0) {
    log(`warm-up: ${entries.length} servers × ${settings.warmup} s`);
    await timed(phases, 'warmup', async () => {
      for (const { server: s } of entries) await load(s.url, { connections: settings.connections, seconds: settings.warmup, latencies: false });
    });
  }
  log('calibration: the ceiling and bare Express, 3 × 1 s each');
  const before = await calibration.measure(server('small/ceiling'), server('small/bare'), settings);
  log(`calibration before: ceiling ${before.ceiling} req/s, bare ${before.bare} req/s, steal ≤ ${before.stealPercent} %`);
  const samples = await timed(phases, 'rounds', () => measureInterleaved(entries, { ...settings, log }));
  const after = await calibration.measure(server('small/ceiling'), server('small/bare'), settings);
  log(`calibration after: ceiling ${after.ceiling} req/s, bare ${after.bare} req/s, steal ≤ ${after.stealPercent} %`);
  killAll();

  let memory;
  if (!skip.has('memory')) {
    log(`memory check: ${settings.memoryRequests} requests`);
    memory = await timed(phases, 'memory', () =>
      runMemoryCheck({
        requests: settings.memoryRequests,
        warmupRequests: Math.max(settings.connections, Math.round(settings.memoryRequests / 10)),
        connections: settings.connections,
        log,
      }),
    );
  }

  const verdict = calibration.judge(machine, before, after);
  const { only, skip: skipped, ...shown } = settings;
  const results = {
    date: new Date().toISOString(),
    machine,
    source: sourceInfo(),
    settings: { ...shown, pinned, ...(partial ? { only, skip: skipped } : {}) },
    calibration: { before, after, quiet: verdict.quiet, pass: verdict.pass, reasons: verdict.reasons },
    wallSeconds: { total: Math.round((Date.now() - started) / 100) / 10, ...phases },
    ...summarize(samples, selected, GROUPS.filter((g) => !g.instructionsOnly)),
    micro,
    memory,
  };

  if (partial) {
    log(`partial run: wrote ${write(path.join(ROOT, 'bench/results/tmp/partial.json'), results)} (docs/ untouched)`);
    return;
  }
  if (!verdict.pass) {
    const file = write(path.join(ROOT, 'bench/results/tmp/refused.json'), results);
    console.error(
      [
        '',
        'NOT PUBLISHED: this run\'s calibration says the machine was disturbed, so its timings would mislead.',
        ...verdict.reasons.map((r) => `  - ${r}`),
        `The run is kept in ${file}; docs/internals/benchmarks.md and bench/results/latest.json are unchanged.`,
        'Run `npm run bench` again when the machine is quiet (nothing else running).',
      ].join('\n'),
    );
    process.exitCode = 3;
    return;
  }
  calibration.recordQuiet(machine, before, after, results.date, results.source.commit);
  log(`calibration passed: wrote ${write(path.join(ROOT, 'bench/results/latest.json'), results)}, bench/results/quiet.json`);
  log(`wrote ${path.relative(ROOT, writeDocs())}`);
}

main().catch((error) => {
  console.error(error);
  killAll();
  process.exit(1);
});
