// `npm run bench`: the timing run. Builds the package, times render + serialize, starts every timed
// variant's server in a child process, calibrates, drives the servers in interleaved rounds,
// calibrates again, checks memory, and publishes (bench/results/latest.json, docs/internals/benchmarks.md)
// only when the calibration passed. Otherwise it writes bench/results/tmp/refused.json, says why,
// and exits with status 3. What it measures is defined in bench/variants.js.
//
// Environment (all optional):
//   BENCH_ROUNDS=3  BENCH_SECONDS=2  BENCH_WARMUP=1  BENCH_CONNECTIONS=50
//   BENCH_MEMORY_REQUESTS=50000  BENCH_ONLY=small/,error/  BENCH_SKIP=build,micro,memory
// A run with BENCH_ONLY or BENCH_SKIP is partial: it writes bench/results/tmp/partial.json only.
//
// Its children are this file again, in a child mode:
//   node bench/time.js serve <variant>   one variant's server on 127.0.0.1 (forked; reports over IPC)
//   node bench/time.js micro             render + serialize alone, ns per operation (prints, or reports over IPC)
'use strict';

const { Buffer } = require('node:buffer');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { fork, spawnSync } = require('node:child_process');
const { setTimeout, clearTimeout } = require('node:timers');
const { CALIBRATION, GROUPS, PAYLOADS, VARIANTS, createListener, renderCases } = require('./variants');
const { ROOT, machineInfo, median, percentile, round, sourceInfo, writeDocs } = require('./report');

const autocannon = () => require('autocannon');

// CPU steal time (a virtual machine's cores taken by its host), read from /proc/stat: the main
// source of noise on a shared VM, so each sample records how much of it there was.

/** The machine's cumulative CPU ticks: `{ steal, total }`, or undefined where /proc/stat is absent. */
function cpuTicks() {
  let text;
  try {
    text = fs.readFileSync('/proc/stat', 'utf8');
  } catch {
    return undefined;
  }
  // cpu  user nice system idle iowait irq softirq steal guest guest_nice
  const fields = text.slice(0, text.indexOf('\n')).trim().split(/\s+/).slice(1, 9).map(Number);
  return { steal: fields[7] || 0, total: fields.reduce((a, b) => a + b, 0) };
}

/** Percent of CPU time stolen between two cpuTicks() readings. */
function stealPercent(before, after) {
  if (!before || !after || after.total <= before.total) return undefined;
  return ((after.steal - before.steal) / (after.total - before.total)) * 100;
}

// Child processes: started, waited for, and all killed on exit, on an error, and on Ctrl-C (SIGINT)
// or SIGTERM.

const READY_TIMEOUT_MS = 30_000;
const live = new Set();

function killAll() {
  for (const child of live) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  live.clear();
}

let installed = false;

/** Kills the children whatever way the parent ends. Call once, before starting any child. */
function installCleanup() {
  if (installed) return;
  installed = true;
  process.on('exit', killAll);
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ]) {
    process.on(signal, () => {
      console.error(`\nbench: ${signal}, stopping ${live.size} child process(es)`);
      killAll();
      process.exit(code);
    });
  }
  process.on('uncaughtException', (error) => {
    console.error(error);
    killAll();
    process.exit(1);
  });
  process.on('unhandledRejection', (error) => {
    console.error(error);
    killAll();
    process.exit(1);
  });
}

/**
 * Forks `script` and resolves with the first IPC message of type `expect` (rejecting if the child
 * exits or stays silent first). The child stays tracked until it exits.
 */
function forkAndWait(script, args, { execArgv = [], expect, timeoutMs = READY_TIMEOUT_MS } = {}) {
  const child = fork(script, args, { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  live.add(child);
  child.once('exit', () => live.delete(child));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      child.kill('SIGKILL');
      reject(new Error(`${path.basename(script)} ${args.join(' ')}: no "${expect}" message within ${timeoutMs} ms`));
    }, timeoutMs);
    const onMessage = (message) => {
      if (!message || message.type !== expect) return;
      cleanup();
      resolve({ child, message });
    };
    const onExit = (code, signal) => {
      cleanup();
      reject(new Error(`${path.basename(script)} ${args.join(' ')} exited (${signal || code}) before "${expect}"`));
    };
    const cleanup = () => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/**
 * Pins a process to one CPU where `taskset` exists: the servers to the last core, the load
 * generator (this process) to the first, so they do not take turns on the same core. On a machine
 * with one core, or without taskset, it does nothing.
 */
function pin(pid, cpu) {
  if (os.availableParallelism() < 2) return false;
  const result = spawnSync('taskset', ['-pc', String(cpu), String(pid)], { stdio: 'ignore' });
  return result.status === 0;
}

const SERVER_CPU = Math.max(0, os.availableParallelism() - 1);

/** Starts one variant's server; resolves with `{ id, port, url, child }`. */
async function startServer(id, { execArgv } = {}) {
  const { child, message } = await forkAndWait(path.join(__dirname, 'time.js'), ['serve', id], { execArgv, expect: 'ready' });
  pin(child.pid, SERVER_CPU);
  return { id, port: message.port, url: `http://127.0.0.1:${message.port}`, child };
}

let cpuSeq = 0;

/** The server's process.cpuUsage(), total user + system microseconds. */
function cpuMicros(server, timeoutMs = 5_000) {
  const { child } = server;
  const seq = ++cpuSeq;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.off('message', onMessage);
      reject(new Error(`server ${server.id}: no CPU reading within ${timeoutMs} ms`));
    }, timeoutMs);
    const onMessage = (message) => {
      if (!message || message.type !== 'cpu' || message.seq !== seq) return;
      clearTimeout(timer);
      child.off('message', onMessage);
      resolve(message.usage.user + message.usage.system);
    };
    child.on('message', onMessage);
    child.send({ type: 'cpu', seq });
  });
}

/** Asks a server to exit on its own (so --cpu-prof can write its profile) and waits for it. */
function stopServer(server, timeoutMs = 10_000) {
  const { child } = server;
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    if (child.connected) child.send({ type: 'exit' });
    else child.kill('SIGTERM');
  });
}

// Load generation with autocannon: one load, interleaved rounds, and a probe that checks a variant
// answers what it should before it is measured.

/** autocannon stops on its sampling tick: 250 ms ticks let a run last 0.5 s, 2.5 s… */
const SAMPLE_INTERVAL_MS = 250;

/**
 * Drives `url` for `seconds` (or for `amount` requests) and returns req/s, latency percentiles (ms,
 * measured per response, not bucketed), the status counts and the machine's CPU steal meanwhile.
 */
async function load(url, { connections, pipelining = 1, seconds, amount, requests, latencies = true }) {
  const options = { url, connections, pipelining, sampleInt: SAMPLE_INTERVAL_MS };
  if (amount) options.amount = amount;
  else options.duration = seconds;
  if (requests) options.requests = requests;
  const samples = [];
  const ticks = cpuTicks();
  const instance = autocannon()(options);
  if (latencies) instance.on('response', (_client, _status, _bytes, ms) => samples.push(ms));
  const result = await instance;
  const steal = stealPercent(ticks, cpuTicks());
  const statuses = {};
  for (const [code, { count }] of Object.entries(result.statusCodeStats)) statuses[code] = count;
  return {
    rps: result.requests.total / result.duration,
    p50: latencies ? percentile(samples, 50) : undefined,
    p99: latencies ? percentile(samples, 99) : undefined,
    total: result.requests.total,
    seconds: result.duration,
    errors: result.errors,
    timeouts: result.timeouts,
    statuses,
    steal,
  };
}

/** GET `url` once, without keep-alive; resolves with `{ status, headers, body }`. */
function get(url) {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
      res.on('error', reject);
    });
    request.on('error', reject);
  });
}

async function getJson(url) {
  const { status, body } = await get(url);
  if (status !== 200) throw new Error(`GET ${url}: HTTP ${status}`);
  return JSON.parse(body);
}

/** Checks a variant before measuring it: the expected status, a JSON body, the request id header. */
async function probe(server, variant) {
  const { status, headers, body } = await get(`${server.url}/`);
  const problems = [];
  if (status !== variant.status) problems.push(`status ${status}, expected ${variant.status}`);
  try {
    JSON.parse(body);
  } catch {
    problems.push(`a body that is not JSON: ${body.slice(0, 80)}`);
  }
  if (variant.requestIdHeader && !headers['x-request-id']) problems.push('no X-Request-Id header');
  if (problems.length) throw new Error(`variant ${variant.id} answered ${problems.join('; ')}`);
  return { status, bytes: Buffer.byteLength(body), contentType: headers['content-type'] };
}

/** Responses with another status than the variant's own, and socket errors/timeouts. */
function anomalies(sample, expectedStatus) {
  let unexpected = 0;
  for (const [code, count] of Object.entries(sample.statuses)) if (Number(code) !== expectedStatus) unexpected += count;
  return unexpected + sample.errors + sample.timeouts;
}

/**
 * Measures `rounds` rounds, each driving every server in turn (A B C … A B C …) so machine noise
 * falls on all of them alike. Resolves with the samples per id.
 */
async function measureInterleaved(entries, { connections, pipelining, rounds, seconds, log }) {
  const samples = new Map(entries.map(({ variant }) => [variant.id, []]));
  for (let round = 1; round <= rounds; round++) {
    const started = Date.now();
    for (const { server, variant } of entries) {
      const before = await cpuMicros(server);
      const sample = await load(server.url, { connections, pipelining, seconds });
      // Server CPU per request: unlike req/s, it does not move with CPU steal or with the load
      // generator's share of the machine, so it is the steadier measure of the server's own cost.
      sample.cpuUs = (await cpuMicros(server)) - before;
      sample.cpuPerRequest = sample.total > 0 ? sample.cpuUs / sample.total : undefined;
      sample.anomalies = anomalies(sample, variant.status);
      samples.get(variant.id).push(sample);
    }
    log(`round ${round}/${rounds} done in ${((Date.now() - started) / 1000).toFixed(1)} s${roundLine(entries, samples)}`);
  }
  return samples;
}

function roundLine(entries, samples) {
  const bare = entries.find(({ variant }) => variant.id === 'small/bare');
  if (!bare) return '';
  const last = samples.get('small/bare');
  return ` (bare 200 B: ${Math.round(last[last.length - 1].rps)} req/s, median so far ${Math.round(median(last.map((s) => s.rps)))})`;
}

// Calibration: is the machine quiet enough for the run to be published? (thresholds: CALIBRATION in
// bench/variants.js)

const QUIET_FILE = path.join(ROOT, 'bench/results/quiet.json');
const { QUIET_FRACTION, MAX_STEAL, MAX_DRIFT, IDLE_LOAD_PER_CORE, KEEP } = CALIBRATION;

/** The machine as the run finds it, before it starts anything. */
function snapshot() {
  const cpus = os.cpus();
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : cpus.length;
  const model = cpus.length ? cpus[0].model.trim() : 'unknown';
  return {
    // Figures are comparable only on the same machine and Node major version.
    key: `${model} × ${cores}, ${Math.round(os.totalmem() / 2 ** 30)} GB, Node ${process.versions.node.split('.')[0]}`,
    cores,
    loadAverage: os.loadavg().map((v) => round(v, 2)),
  };
}

/** Three alternating 1 s samples of the ceiling and of bare Express; the medians, and the steal. */
async function measure(ceiling, bare, { connections }) {
  const samples = { ceiling: [], bare: [], steal: [] };
  for (let i = 0; i < 3; i++) {
    for (const [name, server] of [
      ['ceiling', ceiling],
      ['bare', bare],
    ]) {
      const sample = await load(server.url, { connections, seconds: 1, latencies: false });
      samples[name].push(sample.rps);
      if (sample.steal !== undefined) samples.steal.push(sample.steal);
    }
  }
  return {
    ceiling: round(median(samples.ceiling)),
    bare: round(median(samples.bare)),
    stealPercent: samples.steal.length ? round(Math.max(...samples.steal), 1) : undefined,
  };
}

function readQuiet() {
  try {
    return JSON.parse(fs.readFileSync(QUIET_FILE, 'utf8'));
  } catch {
    return { machines: {} };
  }
}

/** The machine's quiet figure: medians of its last passing runs, or undefined. */
function quietFigure(machineKey) {
  const runs = readQuiet().machines[machineKey]?.runs ?? [];
  if (!runs.length) return undefined;
  return { runs: runs.length, ceiling: round(median(runs.map((r) => r.ceiling))), bare: round(median(runs.map((r) => r.bare))) };
}

/**
 * The verdict on a run: `{ pass, reasons, quiet }`. `machine` from snapshot(), `before` and `after`
 * from measure().
 */
function judge(machine, before, after) {
  const quiet = quietFigure(machine.key);
  const reasons = [];
  for (const name of ['ceiling', 'bare']) {
    const low = Math.min(before[name], after[name]);
    const high = Math.max(before[name], after[name]);
    if ((high - low) / high > MAX_DRIFT) {
      reasons.push(`${name} drifted from ${before[name]} to ${after[name]} req/s during the run (more than ${MAX_DRIFT * 100} %)`);
    }
    if (quiet && low < QUIET_FRACTION * quiet[name]) {
      reasons.push(
        `${name} reached ${low} req/s, ${round((low / quiet[name]) * 100)} % of this machine's quiet figure ` +
          `(${quiet[name]} req/s; at least ${QUIET_FRACTION * 100} % needed)`,
      );
    }
  }
  const steal = Math.max(before.stealPercent ?? 0, after.stealPercent ?? 0);
  if (steal > MAX_STEAL) reasons.push(`CPU steal reached ${steal} % (at most ${MAX_STEAL} %)`);
  const loadPerCore = machine.loadAverage[0] / machine.cores;
  if (!quiet && loadPerCore > IDLE_LOAD_PER_CORE) {
    reasons.push(
      `no quiet figure for this machine yet, and it was not idle at the start: load average ${machine.loadAverage[0]} ` +
        `on ${machine.cores} cores (at most ${IDLE_LOAD_PER_CORE} per core for a first run)`,
    );
  }
  return { pass: reasons.length === 0, reasons, quiet };
}

/** Adds a passing run to the machine's quiet figure (its last KEEP runs). */
function recordQuiet(machine, before, after, date, commit) {
  const data = readQuiet();
  const entry = (data.machines[machine.key] ??= { runs: [] });
  entry.runs.push({
    date,
    commit,
    ceiling: Math.min(before.ceiling, after.ceiling),
    bare: Math.min(before.bare, after.bare),
    loadAverage: machine.loadAverage,
  });
  entry.runs = entry.runs.slice(-KEEP);
  fs.writeFileSync(QUIET_FILE, `${JSON.stringify(data, null, 2)}\n`);
}

// The samples → the numbers reported: medians per variant, cost ratios per group, targets.

function summarizeVariant(variant, samples) {
  const rps = samples.map((s) => s.rps);
  return {
    label: variant.label,
    status: variant.status,
    rps: { median: round(median(rps)), min: round(Math.min(...rps)), max: round(Math.max(...rps)) },
    // Server CPU microseconds per request (user + system), median over the rounds.
    cpu: round(median(samples.map((s) => s.cpuPerRequest)), 1),
    p99: round(median(samples.map((s) => s.p99)), 2),
    // Responses with another status than expected, socket errors and timeouts, over all rounds.
    anomalies: samples.reduce((sum, s) => sum + s.anomalies, 0),
  };
}

/**
 * @param samples Map of variant id → one sample per round (measureInterleaved() above).
 * @returns `{ variants, groups, targets, noise }`: per group, each member's CPU per request over the
 * baseline's ("cost", above 1 costs more) and its req/s over the baseline's.
 */
function summarize(samples, variants, groups) {
  const summary = {};
  for (const variant of variants) if (samples.has(variant.id)) summary[variant.id] = summarizeVariant(variant, samples.get(variant.id));
  const out = { variants: summary, groups: [], targets: [] };
  for (const group of groups) {
    const base = summary[group.baseline];
    if (!base) continue;
    const rows = group.members
      .filter((id) => summary[id])
      .map((id) => ({ id, cost: round(summary[id].cpu / base.cpu, 3), rps: round(summary[id].rps.median / base.rps.median, 3) }));
    out.groups.push({ id: group.id, baseline: group.baseline, rows });
    for (const row of rows)
      if (group.target?.of.includes(row.id))
        out.targets.push({
          variant: row.id,
          against: group.baseline,
          max: group.target.max,
          cost: row.cost,
          met: row.cost <= group.target.max,
        });
  }
  const steals = [...samples.values()]
    .flat()
    .map((s) => s.steal)
    .filter((s) => s !== undefined);
  out.noise = { stealPercent: steals.length ? { median: round(median(steals), 1), max: round(Math.max(...steals), 1) } : undefined };
  return out;
}

// Memory: does the heap stay flat over many enveloped requests? A child server with
// requestId()+envelope('vbapi')+errorHandler(), started with --expose-gc, driven with successes and
// thrown 404s; its /__heap endpoint (outside the envelope, not counted) forces two full GCs and
// reports process.memoryUsage().

const MIX = [{ path: '/ok' }, { path: '/err' }];
const FLAT_BYTES = 2 * 1024 * 1024;
const FLAT_FRACTION = 0.1;

async function runMemoryCheck({ requests, warmupRequests, connections, log }) {
  const server = await startServer('memory', { execArgv: ['--expose-gc'] });
  try {
    const heap = async () => (await getJson(`${server.url}/__heap`)).heapUsed;
    const drive = async (amount) => {
      const sample = await load(server.url, { connections, amount, requests: MIX, latencies: false });
      if (sample.errors || sample.timeouts) throw new Error(`memory check: ${sample.errors} errors, ${sample.timeouts} timeouts`);
      return sample;
    };
    const start = await heap();
    await drive(warmupRequests);
    const before = await heap();
    const half = Math.floor(requests / 2);
    const first = await drive(half);
    const mid = await heap();
    const second = await drive(requests - half);
    const after = await heap();
    const growth = after - before;
    const statuses = {};
    for (const sample of [first, second]) {
      for (const [code, count] of Object.entries(sample.statuses)) statuses[code] = (statuses[code] || 0) + count;
    }
    const result = {
      requests,
      warmupRequests,
      mix: MIX.map((r) => r.path),
      statuses,
      heapUsed: { start, afterWarmup: before, mid, after },
      growthBytes: growth,
      growthPercent: round((growth / before) * 100, 1),
      flat: growth < FLAT_BYTES || growth / before < FLAT_FRACTION,
      rule: 'growth after the warm-up < 2 MB or < 10 %',
    };
    log(
      `memory: heapUsed ${mb(start)} → ${mb(before)} (warm) → ${mb(mid)} → ${mb(after)} MB after ${requests} requests; ` +
        `growth ${mb(growth)} MB (${result.growthPercent} %), ${result.flat ? 'flat' : 'NOT flat'}`,
    );
    return result;
  } finally {
    await stopServer(server);
  }
}

function mb(bytes) {
  return (bytes / (1024 * 1024)).toFixed(2);
}

// Render + serialize alone, timed: every case of renderCases() in interleaved batches, ns per
// operation and × JSON.stringify.

let sink = 0;

/** Times `n` calls of `fn`; ns per call. */
function timeOps(fn, n) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) sink += fn().length;
  return Number(process.hrtime.bigint() - start) / n;
}

/** How many calls take about `ms` milliseconds. */
function opsIn(fn, ms) {
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
  const list = renderCases();
  for (const c of list) {
    c.n = opsIn(c.fn, warmupMs);
    timeOps(c.fn, c.n);
    c.n = Math.max(1, Math.round((c.n * batchMs) / warmupMs));
    c.samples = [];
  }
  for (let b = 0; b < batches; b++) for (const c of list) c.samples.push(timeOps(c.fn, c.n));
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

// The child modes.

async function serve(id) {
  if (!process.send) throw new Error('bench/time.js serve must be started with fork() (it reports over IPC)');
  const server = http.createServer(await createListener(id));
  server.listen(0, '127.0.0.1', () => {
    process.send({ type: 'ready', id, port: server.address().port });
  });
}

function serveMessages() {
  process.on('message', (message) => {
    if (message && message.type === 'exit') process.exit(0);
    // The CPU time this server has used so far: sampled around each round, divided by the requests.
    if (message && message.type === 'cpu') process.send({ type: 'cpu', seq: message.seq, usage: process.cpuUsage() });
  });
  process.on('disconnect', () => process.exit(0));
}

// The run.

function settingsFromEnv(env) {
  const number = (name, fallback) => {
    if (env[name] === undefined || env[name] === '') return fallback;
    const value = Number(env[name]);
    if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number, got "${env[name]}"`);
    return value;
  };
  const list = (name) =>
    env[name]
      ? env[name]
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : [];
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
  const machine = { ...machineInfo(), ...snapshot() };
  // The load generator on the first core, the servers on the last (pin() above).
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
      const { child, message } = await forkAndWait(path.join(__dirname, 'time.js'), ['micro'], { expect: 'micro', timeoutMs: 120_000 });
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
      for (const { server: s } of entries)
        await load(s.url, { connections: settings.connections, seconds: settings.warmup, latencies: false });
    });
  }
  log('calibration: the ceiling and bare Express, 3 × 1 s each');
  const before = await measure(server('small/ceiling'), server('small/bare'), settings);
  log(`calibration before: ceiling ${before.ceiling} req/s, bare ${before.bare} req/s, steal ≤ ${before.stealPercent} %`);
  const samples = await timed(phases, 'rounds', () => measureInterleaved(entries, { ...settings, log }));
  const after = await measure(server('small/ceiling'), server('small/bare'), settings);
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

  const verdict = judge(machine, before, after);
  const { only, skip: skipped, ...shown } = settings;
  const results = {
    date: new Date().toISOString(),
    machine,
    source: sourceInfo(),
    settings: { ...shown, pinned, ...(partial ? { only, skip: skipped } : {}) },
    calibration: { before, after, quiet: verdict.quiet, pass: verdict.pass, reasons: verdict.reasons },
    wallSeconds: { total: Math.round((Date.now() - started) / 100) / 10, ...phases },
    ...summarize(
      samples,
      selected,
      GROUPS.filter((g) => !g.instructionsOnly),
    ),
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
        "NOT PUBLISHED: this run's calibration says the machine was disturbed, so its timings would mislead.",
        ...verdict.reasons.map((r) => `  - ${r}`),
        `The run is kept in ${file}; docs/internals/benchmarks.md and bench/results/latest.json are unchanged.`,
        'Run `npm run bench` again when the machine is quiet (nothing else running).',
      ].join('\n'),
    );
    process.exitCode = 3;
    return;
  }
  recordQuiet(machine, before, after, results.date, results.source.commit);
  log(`calibration passed: wrote ${write(path.join(ROOT, 'bench/results/latest.json'), results)}, bench/results/quiet.json`);
  log(`wrote ${path.relative(ROOT, writeDocs())}`);
}

const [mode, arg] = process.argv.slice(2);
if (mode === 'serve') {
  serveMessages();
  serve(arg).catch((error) => {
    console.error(error);
    process.exit(1);
  });
} else if (mode === 'micro') {
  const micro = runMicro();
  if (process.send) {
    process.send({ type: 'micro', micro }, () => process.exit(0));
  } else {
    for (const [payload, { ns, ratio }] of Object.entries(micro.results)) {
      console.log(payload);
      for (const name of Object.keys(ns)) console.log(`  ${name.padEnd(18)} ${String(ns[name]).padStart(8)} ns/op  ×${ratio[name]}`);
    }
  }
} else {
  main().catch((error) => {
    console.error(error);
    killAll();
    process.exit(1);
  });
}
