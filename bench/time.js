// `npm run bench`: the timing run of docs/internals/benchmarks.md. Render + serialize in ns per
// operation; every timed HTTP variant's server in a child process, driven by autocannon in interleaved
// rounds between two calibrations; the heap check. Published (bench/results/latest.json and the page)
// only when the calibration passes; otherwise it writes bench/results/tmp/refused.json, says why and
// exits with status 3. Its other modes print the figures of the guides:
//   node bench/time.js decode        decodeText() against JSON.parse (docs/guides/client.md)
//   node bench/time.js idempotency   no key, a fresh key, a replayed key (docs/guides/idempotency.md; REDIS_URL for Redis)
//   node bench/time.js memory-store  memoryIdempotencyStore() from 1e3 to 1e6 keys (docs/guides/idempotency.md)
//   node bench/time.js render        render + serialize alone
// BENCH_ONLY=<id prefixes> (bench/variants.js) selects from all of them; such a run writes
// bench/results/tmp/partial.json. Settings (bench/README.md): BENCH_ROUNDS, BENCH_SECONDS, BENCH_WARMUP,
// BENCH_CONNECTIONS, BENCH_MEMORY_REQUESTS.
'use strict';

const { Buffer } = require('node:buffer');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const v8 = require('node:v8');
const vm = require('node:vm');
const { fork, spawnSync } = require('node:child_process');
const { setTimeout, clearTimeout } = require('node:timers');
const {
  CALIBRATION,
  GROUPS,
  IDEMPOTENCY,
  MEMORY_STORE,
  PAYLOADS,
  VARIANTS,
  createListener,
  decodeCases,
  renderCases,
} = require('./variants');
const { ROOT, machineInfo, median, percentile, round, sourceInfo, tables, writeDocs } = require('./report');

const setting = (name) => (process.env[name] ? Number(process.env[name]) : undefined);
const SETTINGS = {
  rounds: setting('BENCH_ROUNDS'),
  seconds: setting('BENCH_SECONDS'),
  warmup: setting('BENCH_WARMUP') ?? 1,
  connections: setting('BENCH_CONNECTIONS'),
  memoryRequests: setting('BENCH_MEMORY_REQUESTS') ?? 50_000,
};
const started = Date.now();
const log = (message) => console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s] ${message}`);

/** The machine's cumulative CPU ticks from /proc/stat, for CPU steal (a VM's cores taken by its host). */
function cpuTicks() {
  try {
    const text = fs.readFileSync('/proc/stat', 'utf8');
    // cpu  user nice system idle iowait irq softirq steal
    const fields = text.slice(0, text.indexOf('\n')).trim().split(/\s+/).slice(1, 9).map(Number);
    return { steal: fields[7] || 0, total: fields.reduce((a, b) => a + b, 0) };
  } catch {
    return undefined;
  }
}
const stealPercent = (a, b) => (a && b && b.total > a.total ? ((b.steal - a.steal) / (b.total - a.total)) * 100 : undefined);

// Servers: this file again (`serve <id>`), forked, killed whatever way the run ends.

const live = new Set();
const killAll = () => {
  for (const child of live) child.kill('SIGKILL');
  live.clear();
};

/** The child's next IPC message, after sending `message` if given. */
function ask(child, message) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('a server did not answer within 30 s')), 30_000);
    child.once('message', (answer) => {
      clearTimeout(timer);
      resolve(answer);
    });
    if (message) child.send(message);
  });
}

/** The servers on the last core, the load generator (this process) on the first, where taskset exists. */
const pin = (pid, cpu) =>
  os.availableParallelism() > 1 && spawnSync('taskset', ['-pc', String(cpu), String(pid)], { stdio: 'ignore' }).status === 0;

async function startServer(id, execArgv = []) {
  const child = fork(path.join(__dirname, 'time.js'), ['serve', id], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  live.add(child);
  child.once('exit', () => live.delete(child));
  const { port } = await ask(child);
  pin(child.pid, os.availableParallelism() - 1);
  return { id, child, url: `http://127.0.0.1:${port}` };
}
/** The server's CPU time so far, user + system µs. */
const cpuMicros = async (server) => ((usage) => usage.user + usage.system)(await ask(server.child, 'cpu'));

function serve(id) {
  const server = http.createServer(createListener(id));
  server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
  process.on('message', () => process.send(process.cpuUsage()));
  process.on('disconnect', () => process.exit(0));
}

/**
 * Drives `url` for `seconds` (or `amount` requests) with autocannon: req/s, latency percentiles (ms, per
 * response), status counts, and the machine's CPU steal meanwhile. 250 ms ticks let a run last 0.25 s.
 */
async function load(url, { connections, seconds, amount, requests, latencies = true }) {
  const samples = [];
  const ticks = cpuTicks();
  const options = { url, connections, sampleInt: 250, ...(amount ? { amount } : { duration: seconds }), ...(requests && { requests }) };
  const instance = require('autocannon')(options);
  if (latencies) instance.on('response', (_client, _status, _bytes, ms) => samples.push(ms));
  const result = await instance;
  const statuses = {};
  for (const [code, { count }] of Object.entries(result.statusCodeStats)) statuses[code] = count;
  return {
    rps: result.requests.total / result.duration,
    p50: latencies ? percentile(samples, 50) : undefined,
    p99: latencies ? percentile(samples, 99) : undefined,
    total: result.requests.total,
    errors: result.errors + result.timeouts,
    statuses,
    steal: stealPercent(ticks, cpuTicks()),
  };
}

/** GET `url` once, without keep-alive: `{ status, headers, body }`. */
function get(url) {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
      })
      .on('error', reject);
  });
}
const getJson = async (url) => JSON.parse((await get(url)).body);

/** Checks a variant answers what it should before it is measured: its status, JSON, the request id header. */
async function probe(server, variant) {
  const { status, headers, body } = await get(`${server.url}/`);
  const problems = [];
  if (status !== variant.status) problems.push(`status ${status}, expected ${variant.status}`);
  try {
    JSON.parse(body);
  } catch {
    problems.push(`a body that is not JSON: ${body.slice(0, 80)}`);
  }
  if (variant.idHeader && !headers['x-request-id']) problems.push('no X-Request-Id header');
  if (problems.length) throw new Error(`variant ${variant.id} answered ${problems.join('; ')}`);
}

/** `rounds` rounds, each driving every server in turn (A B C … A B C …) so noise falls on all alike. */
async function measureInterleaved(entries, { connections, rounds, seconds }) {
  const samples = new Map(entries.map(({ variant }) => [variant.id, []]));
  for (let r = 1; r <= rounds; r++) {
    for (const { server, variant } of entries) {
      const before = await cpuMicros(server);
      const sample = await load(server.url, { connections, seconds });
      // Server CPU per request: unlike req/s, it does not move with the load generator's share of the machine.
      sample.cpuPerRequest = ((await cpuMicros(server)) - before) / sample.total;
      sample.anomalies = sample.errors + sample.total - (sample.statuses[variant.status] ?? 0);
      samples.get(variant.id).push(sample);
    }
    log(`round ${r}/${rounds} done`);
  }
  return samples;
}

function summarize(variant, samples) {
  const rps = samples.map((s) => s.rps);
  return {
    label: variant.label,
    status: variant.status,
    rps: { median: round(median(rps)), min: round(Math.min(...rps)), max: round(Math.max(...rps)) },
    cpu: round(median(samples.map((s) => s.cpuPerRequest)), 1),
    p99: round(median(samples.map((s) => s.p99)), 2),
    anomalies: samples.reduce((sum, s) => sum + s.anomalies, 0), // other statuses, socket errors, timeouts
  };
}

// Calibration: was the machine quiet enough for the run to be published? (thresholds: bench/variants.js)

const QUIET_FILE = path.join(ROOT, 'bench/results/quiet.json');
const { QUIET_FRACTION, MAX_STEAL, MAX_DRIFT, IDLE_LOAD_PER_CORE, KEEP } = CALIBRATION;

/** Three alternating 1 s samples of the ceiling and of bare Express: the medians, and the steal. */
async function calibrate(ceiling, bare, connections) {
  const samples = { ceiling: [], bare: [], steal: [] };
  for (let i = 0; i < 3; i++) {
    for (const [name, server] of Object.entries({ ceiling, bare })) {
      const sample = await load(server.url, { connections, seconds: 1, latencies: false });
      samples[name].push(sample.rps);
      if (sample.steal !== undefined) samples.steal.push(sample.steal);
    }
  }
  const stealPercent = samples.steal.length ? round(Math.max(...samples.steal), 1) : undefined;
  return { ceiling: round(median(samples.ceiling)), bare: round(median(samples.bare)), stealPercent };
}

const readQuiet = () => (fs.existsSync(QUIET_FILE) ? JSON.parse(fs.readFileSync(QUIET_FILE, 'utf8')) : { machines: {} });

/** `{ pass, reasons, quiet }`: the machine's quiet figure is the median of its last passing runs. */
function judge(machine, before, after) {
  const runs = readQuiet().machines[machine.key]?.runs ?? [];
  const quiet = runs.length
    ? { runs: runs.length, ceiling: round(median(runs.map((r) => r.ceiling))), bare: round(median(runs.map((r) => r.bare))) }
    : undefined;
  const reasons = [];
  for (const name of ['ceiling', 'bare']) {
    const [low, high] = [Math.min(before[name], after[name]), Math.max(before[name], after[name])];
    if ((high - low) / high > MAX_DRIFT)
      reasons.push(`${name} drifted from ${before[name]} to ${after[name]} req/s during the run (more than ${MAX_DRIFT * 100} %)`);
    if (quiet && low < QUIET_FRACTION * quiet[name])
      reasons.push(`${name} reached ${low} req/s, under ${QUIET_FRACTION * 100} % of this machine's quiet figure (${quiet[name]} req/s)`);
  }
  const steal = Math.max(before.stealPercent ?? 0, after.stealPercent ?? 0);
  if (steal > MAX_STEAL) reasons.push(`CPU steal reached ${steal} % (at most ${MAX_STEAL} %)`);
  if (!quiet && machine.loadAverage[0] / machine.cores > IDLE_LOAD_PER_CORE)
    reasons.push(
      `no quiet figure for this machine yet, and a load average of ${machine.loadAverage[0]} at the start (at most ${IDLE_LOAD_PER_CORE} per core)`,
    );
  return { quiet, pass: reasons.length === 0, reasons };
}

function recordQuiet(machine, before, after, date, commit) {
  const data = readQuiet();
  const entry = (data.machines[machine.key] ??= { runs: [] });
  const low = (name) => Math.min(before[name], after[name]);
  entry.runs = [...entry.runs, { date, commit, ceiling: low('ceiling'), bare: low('bare'), loadAverage: machine.loadAverage }].slice(-KEEP);
  fs.writeFileSync(QUIET_FILE, `${JSON.stringify(data, null, 2)}\n`);
}

// The HTTP groups, between the two calibrations.

async function runHttp(chosen, machine, pinned) {
  const { warmup, memoryRequests } = SETTINGS;
  const settings = {
    rounds: SETTINGS.rounds ?? 3,
    seconds: Math.max(0.25, SETTINGS.seconds ?? 2),
    warmup,
    connections: SETTINGS.connections ?? 50,
  };
  // Baselines come along, and the calibration needs the ceiling and bare Express.
  const needed = new Set(['small/ceiling', 'small/bare', ...chosen.map((v) => v.id)]);
  for (const group of GROUPS) if (group.members.some((id) => needed.has(id))) needed.add(group.baseline);
  const selected = VARIANTS.filter((v) => v.timed && needed.has(v.id));
  log(
    `${selected.length} servers × (${settings.warmup} s warm-up + ${settings.rounds} rounds × ${settings.seconds} s), ${settings.connections} connections`,
  );
  const entries = [];
  for (const variant of selected) {
    const server = await startServer(variant.id);
    await probe(server, variant);
    entries.push({ variant, server });
  }
  const server = (id) => entries.find((e) => e.variant.id === id).server;
  for (const { server: s } of entries)
    if (settings.warmup > 0) await load(s.url, { connections: settings.connections, seconds: settings.warmup, latencies: false });
  const before = await calibrate(server('small/ceiling'), server('small/bare'), settings.connections);
  log(`calibration before: ceiling ${before.ceiling} req/s, bare ${before.bare} req/s, steal ≤ ${before.stealPercent} %`);
  const samples = await measureInterleaved(entries, settings);
  const after = await calibrate(server('small/ceiling'), server('small/bare'), settings.connections);
  log(`calibration after: ceiling ${after.ceiling} req/s, bare ${after.bare} req/s, steal ≤ ${after.stealPercent} %`);
  killAll();
  const variants = Object.fromEntries(selected.map((v) => [v.id, summarize(v, samples.get(v.id))]));
  return { settings: { ...settings, memoryRequests, pinned }, calibration: { before, after, ...judge(machine, before, after) }, variants };
}

/** Does the heap stay flat over many enveloped requests (successes and thrown 404s)? */
async function runHeap(requests, connections = SETTINGS.connections ?? 50) {
  const server = await startServer('heap', ['--expose-gc']);
  const heap = async () => (await getJson(`${server.url}/__heap`)).heapUsed;
  const statuses = {};
  const drive = async (amount) => {
    const sample = await load(server.url, { connections, amount, requests: [{ path: '/ok' }, { path: '/err' }], latencies: false });
    if (sample.errors) throw new Error(`heap check: ${sample.errors} socket errors or timeouts`);
    for (const [code, count] of Object.entries(sample.statuses)) statuses[code] = (statuses[code] ?? 0) + count;
  };
  const warmupRequests = Math.max(connections, Math.round(requests / 10));
  const start = await heap();
  await drive(warmupRequests);
  const afterWarmup = await heap();
  await drive(Math.floor(requests / 2));
  const mid = await heap();
  await drive(requests - Math.floor(requests / 2));
  const after = await heap();
  server.child.kill();
  const growthBytes = after - afterWarmup;
  const flat = growthBytes < 2 * 2 ** 20 || growthBytes / afterWarmup < 0.1;
  const rule = 'growth after the warm-up < 2 MB or < 10 %';
  log(`heap: ${[start, afterWarmup, mid, after].map((b) => (b / 2 ** 20).toFixed(2)).join(' → ')} MB, ${flat ? 'flat' : 'NOT flat'}`);
  return {
    requests,
    warmupRequests,
    mix: ['/ok', '/err'],
    statuses,
    heapUsed: { start, afterWarmup, mid, after },
    growthBytes,
    growthPercent: round((growthBytes / afterWarmup) * 100, 1),
    flat,
    rule,
  };
}

// In-process timings: render + serialize, decode.

let sink = 0;
function nsPerCall(fn, n) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) sink += fn() === undefined ? 0 : 1;
  return Number(process.hrtime.bigint() - start) / n;
}

/** ns per call of each fn in `rounds` interleaved batches of ~`batchMs` (order reversed every other round), after a 100 ms warm-up. */
function interleaved(fns, rounds, batchMs = 20) {
  const sizes = fns.map((fn) => {
    let [n, elapsed] = [64];
    while ((elapsed = nsPerCall(fn, n) * n) < 25e6 && n < 1 << 24) n *= 4;
    n = Math.max(1, Math.round((n * 100e6) / elapsed)); // calls in 100 ms, then as many to warm up
    nsPerCall(fn, n);
    return Math.max(1, Math.round((n * batchMs) / 100));
  });
  const samples = fns.map(() => []);
  const order = [...fns.keys()];
  for (let r = 0; r < rounds; r++) for (const i of r % 2 ? [...order].reverse() : order) samples[i].push(nsPerCall(fns[i], sizes[i]));
  if (sink < 0) throw new Error('unreachable: keeps the results alive');
  return samples;
}

function runRender(cases, batches = 15) {
  const fns = cases.map((c) => c.fn);
  const samples = interleaved(fns, batches);
  const results = {};
  cases.forEach((c, i) => {
    results[c.payload] ??= { bytes: Buffer.byteLength(JSON.stringify(PAYLOADS[c.payload].value)), ns: {}, ratio: {} };
    results[c.payload].ns[c.name] = median(samples[i]);
  });
  for (const entry of Object.values(results)) {
    const base = entry.ns['JSON.stringify'];
    for (const [name, ns] of Object.entries(entry.ns)) [entry.ratio[name], entry.ns[name]] = [round(ns / base, 3), round(ns)];
  }
  return { batches, batchMs: 20, results };
}

/** decodeText ÷ JSON.parse of the same text: the median of the rounds' ratios. */
function runDecode(cases, rounds) {
  const fns = cases.flatMap((c) => [c.parse, c.decode]);
  const samples = interleaved(fns, rounds);
  const rows = {};
  cases.forEach((c, i) => {
    const [parse, decode] = [samples[2 * i], samples[2 * i + 1]];
    const ratio = median(decode.map((d, r) => d / parse[r]));
    rows[c.id] = { bytes: c.bytes, 'parse ns': round(median(parse)), 'decode ns': round(median(decode)), ratio: round(ratio, 2) };
  });
  console.log(`decodeText ÷ JSON.parse, median of ${rounds} interleaved rounds (Node ${process.version})`);
  console.table(rows);
  return rows;
}

/** memoryIdempotencyStore(): per operation (µs, p50 / p99) and heap bytes per key, for each size. */
async function runMemoryStore(sizes) {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc');
  const { memoryIdempotencyStore } = require('../dist/cjs');
  const { ops, response } = MEMORY_STORE;
  const lock = (i) => ({ state: 'running', token: `token-${i}`, fingerprint: `fingerprint-${i}`.padEnd(64, '0') });
  const timed = async (from, to, op) => {
    const each = [];
    for (let i = from; i < to; i++) {
      const start = process.hrtime.bigint();
      await op(i);
      each.push(Number(process.hrtime.bigint() - start) / 1000);
    }
    return `${round(percentile(each, 50), 1)} / ${round(percentile(each, 99), 1)}`;
  };
  const rows = {};
  for (const { id, keys } of sizes) {
    gc();
    gc();
    const before = process.memoryUsage().heapUsed;
    const store = memoryIdempotencyStore({ maxKeys: keys, maxBytes: keys * 4096 }); // maxKeys is the bound that binds
    const claimAndFinish = async (i) => {
      await store.claim(`scope:key-${i}`, lock(i), 60_000);
      await store.finish(`scope:key-${i}`, lock(i), response, 86_400_000);
    };
    const fill = await timed(0, keys, claimAndFinish);
    gc();
    gc();
    const bytesPerKey = Math.round((process.memoryUsage().heapUsed - before) / keys);
    const evict = await timed(keys, keys + ops, claimAndFinish);
    const replay = await timed(0, ops, (i) => store.claim(`scope:key-${keys + ops - 1 - (i % keys)}`, lock(-1), 60_000));
    rows[id] = { keys, 'bytes per key': bytesPerKey, 'fill: µs p50 / p99': fill, evict, replay };
  }
  console.log(`memoryIdempotencyStore(), ${ops} evicting claims + finishes and ${ops} replays per size (Node ${process.version})`);
  console.table(rows);
  return rows;
}

/** One idempotency server driven in each mode in turn. */
async function runIdempotency() {
  const [seconds, connections] = [SETTINGS.seconds ?? IDEMPOTENCY.seconds, SETTINGS.connections ?? IDEMPOTENCY.connections];
  const server = await startServer('idempotency');
  const runs = async () => (await getJson(`${server.url}/__runs`)).runs;
  const rows = {};
  for (const mode of IDEMPOTENCY.modes) {
    const before = await runs();
    const s = await load(server.url, { connections, seconds, requests: [mode.request] });
    rows[mode.text] = {
      'req/s': round(s.rps),
      'p50 ms': round(s.p50, 1),
      'p99 ms': round(s.p99, 1),
      'handler runs': (await runs()) - before,
      statuses: JSON.stringify(s.statuses),
    };
  }
  server.child.kill();
  const store = process.env.REDIS_URL ? 'redis' : 'memory';
  console.log(
    `idempotency, ${store} store: ${seconds} s per mode, ${connections} connections, a handler of ${IDEMPOTENCY.workMs} ms CPU (Node ${process.version})`,
  );
  console.table(rows);
  const [none, run, replay] = Object.values(rows).map((r) => r['req/s']);
  console.log(`replay / run: ${(replay / run).toFixed(1)}×; run / none: ${(run / none).toFixed(2)}×`);
  return { store, seconds, connections, rows };
}

function write(file, results) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  return path.relative(ROOT, file);
}

async function main(only) {
  process.on('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));
  const partial = only.length > 0;
  // Without BENCH_ONLY: what docs/internals/benchmarks.md publishes (the guides' modes are asked for by name).
  const wanted = (id) => (partial ? only.some((prefix) => id.startsWith(prefix)) : !/^(decode|idempotency|memory-store)\//.test(id));
  // Figures compare only on the same machine and Node major version; the load is the one before the run.
  const machine = { ...machineInfo(), loadAverage: os.loadavg().map((v) => round(v, 2)) };
  machine.key = `${machine.cpu} × ${machine.cores}, ${machine.memoryGB} GB, Node ${process.versions.node.split('.')[0]}`;
  const pinned = pin(process.pid, 0);
  log(`load average ${machine.loadAverage.join(' ')} on ${machine.cores} cores`);
  if (spawnSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs')], { cwd: ROOT, stdio: 'inherit' }).status !== 0)
    throw new Error('the build failed');

  const results = { date: new Date().toISOString(), machine, source: sourceInfo() };
  const all = renderCases(); // with the JSON.stringify of each payload chosen, the baseline
  const renders = all.filter(
    (c) => wanted(c.id) || (c.name === 'JSON.stringify' && all.some((d) => d.payload === c.payload && wanted(d.id))),
  );
  if (renders.length) results.micro = runRender(renders);
  const decodes = decodeCases().filter((c) => wanted(c.id));
  if (decodes.length) results.decode = runDecode(decodes, SETTINGS.rounds ?? 7);
  const sizes = MEMORY_STORE.sizes.filter((s) => wanted(s.id));
  if (sizes.length) results.memoryStore = await runMemoryStore(sizes);
  if (IDEMPOTENCY.modes.some((m) => wanted(m.id))) results.idempotency = await runIdempotency();
  const chosen = VARIANTS.filter((v) => v.timed && wanted(v.id));
  if (chosen.length) Object.assign(results, await runHttp(chosen, machine, pinned));
  if (wanted('heap')) results.memory = await runHeap(SETTINGS.memoryRequests);
  const { lines } = tables(undefined, results);
  if (lines.length) console.log(`\n${lines.join('\n')}`);

  if (partial) return log(`partial run: wrote ${write(path.join(ROOT, 'bench/results/tmp/partial.json'), results)} (docs/ untouched)`);
  const { before, after, pass, reasons } = results.calibration;
  if (!pass) {
    const file = write(path.join(ROOT, 'bench/results/tmp/refused.json'), results);
    console.error(`\nNOT PUBLISHED: the calibration says the machine was disturbed, so the timings would mislead.`);
    for (const reason of reasons) console.error(`  - ${reason}`);
    console.error(`The run is kept in ${file}; docs/ and bench/results/latest.json are unchanged. Run again on a quiet machine.`);
    process.exitCode = 3;
    return;
  }
  recordQuiet(machine, before, after, results.date, results.source.commit);
  log(`calibration passed: wrote ${write(path.join(ROOT, 'bench/results/latest.json'), results)}, bench/results/quiet.json`);
  log(`wrote ${path.relative(ROOT, writeDocs())}`);
}

const [mode, id] = process.argv.slice(2);
const only = (process.env.BENCH_ONLY || '')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);
if (mode === 'serve') serve(id);
else if (mode && !['render', 'decode', 'idempotency', 'memory-store'].includes(mode)) {
  console.error('usage: node bench/time.js [render | decode | idempotency | memory-store]');
  process.exitCode = 2;
} else
  main(only.length || !mode ? only : [`${mode}/`]).catch((error) => {
    console.error(error);
    process.exit(1);
  });
