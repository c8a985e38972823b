// `npm run bench:instructions`: instructions per request of each HTTP variant and per operation of each
// render case, counted by valgrind (callgrind): the figure of record, which CPU steal and neighbours do
// not move. Writes bench/results/instructions.json and docs/internals/benchmarks.md. `node
// bench/instructions.js decode` counts the client's decode cases instead (the client guide's figures).
//
// Each count is one process (this file in a child mode) that runs `from` requests or operations (start-up,
// JIT warm-up), a full GC, then up to `to` between two process.uptime() calls, where callgrind dumps
// its counters (--dump-before=node::Uptime*): the middle dump, less the JIT's own instructions, over
// `to - from`. Node runs so that a count repeats: fixed seeds, the optimizing compiler and the GC on
// the main thread, V8 told to optimize early.
//
//   BENCH_INSTRUCTIONS_FROM=2500 BENCH_INSTRUCTIONS_TO=3000   requests per HTTP variant
//   BENCH_ONLY=small/one/,render/small/                      a subset, written to bench/results/tmp/
'use strict';

const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { Duplex } = require('node:stream');
const { spawn, spawnSync } = require('node:child_process');
const { ROOT, machineInfo, sourceInfo, tables, writeDocs } = require('./report');
const { OPERATIONS, VARIANTS, createListener, renderCases, decodeCases } = require('./variants');

const FROM = Number(process.env.BENCH_INSTRUCTIONS_FROM || 2500);
const TO = Number(process.env.BENCH_INSTRUCTIONS_TO || 3000);
// V8 optimizes a function once its interrupt budget (67584 by default) runs out.
const NODE_FLAGS = [
  '--hash-seed=1',
  '--random-seed=1',
  '--no-concurrent-recompilation',
  '--single-threaded-gc',
  '--interrupt-budget=8000',
  '--expose-gc',
];

/** V8's compilers, whose own instructions are left out: at the counted requests they are still a third or more of the total. */
const JIT =
  /v8::internal::(?:compiler|maglev|baseline|interpreter|wasm)::|v8::internal::(?:Zone|Compiler|OptimizedCompilationJob|Parser|Scanner|AstValueFactory|DeclarationScope|Scope|CodeGenerator|Assembler|RegExpCompiler|TurboAssembler|MacroAssembler|Pipeline)\b/;

/** A callgrind dump → `{ total, jit }`: all instructions, and the own instructions of JIT functions. */
function tally(text) {
  const names = new Map();
  let [fn, skipNext, total, jit] = ['', false, 0, 0];
  for (const line of text.split('\n')) {
    if (line.startsWith('fn=') || line.startsWith('cfn=')) {
      const m = /^c?fn=\((\d+)\)(?: (.*))?$/.exec(line);
      if (m && m[2] !== undefined) names.set(m[1], m[2]);
      if (line.startsWith('fn=')) fn = m ? (names.get(m[1]) ?? '') : line.slice(3);
    } else if (line.startsWith('calls=')) {
      skipNext = true; // the next cost line is the call's inclusive cost, already in the callee's own lines
    } else if (/^[0-9+*-]/.test(line)) {
      const cost = Number(line.split(' ')[1]);
      if (!Number.isFinite(cost)) continue;
      if (skipNext) {
        skipNext = false;
        continue;
      }
      total += cost;
      if (JIT.test(fn)) jit += cost;
    }
  }
  return { total, jit };
}

/** Instructions per step outside the JIT, and in it, of `node instructions.js <args> <from> <to>` under callgrind. */
function count(args, from, to, dir, n) {
  const out = path.join(dir, `${n}.out`);
  const valgrind = ['--tool=callgrind', `--callgrind-out-file=${out}`, '--dump-before=node::Uptime*', '--compress-strings=yes'];
  const child = spawn(
    'valgrind',
    [...valgrind, process.execPath, ...NODE_FLAGS, path.join(__dirname, 'instructions.js'), ...args, String(from), String(to)],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let err = '';
  child.stderr.on('data', (chunk) => (err = (err + chunk).slice(-4000)));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => {
      const dumps = fs.readdirSync(dir).filter((f) => f.startsWith(`${n}.out`));
      const middle = path.join(dir, `${n}.out.2`);
      const counted = fs.existsSync(middle) ? tally(fs.readFileSync(middle, 'utf8')) : undefined;
      for (const f of dumps) fs.rmSync(path.join(dir, f));
      if (code !== 0 || !counted?.total) reject(new Error(`valgrind ${args.join(' ')}: exit ${code}, ${dumps.length} dumps\n${err}`));
      else resolve({ per: (counted.total - counted.jit) / (to - from), jit: counted.jit / (to - from) });
    });
  });
}

async function main(only) {
  if (spawnSync('valgrind', ['--version']).status !== 0) throw new Error('valgrind is not installed (apt-get install valgrind)');
  if (spawnSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs')], { stdio: 'inherit' }).status !== 0)
    throw new Error('build failed');
  // Without BENCH_ONLY: what docs/internals/benchmarks.md publishes (the decode cases are asked for by name).
  const wanted = (id) => (only.length ? only.some((prefix) => id.startsWith(prefix)) : !id.startsWith('decode/'));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-instructions-'));
  const jobs = [];
  let n = 0;
  const job = (key, args, [from, to]) => jobs.push({ key, run: () => count(args, from, to, dir, n++) });
  for (const v of VARIANTS) if (v.counted && wanted(v.id)) job(v.id, ['request', v.id], [FROM, TO]);
  for (const c of renderCases()) if (wanted(c.id)) job(c.id, ['op', c.id, 'fn'], OPERATIONS.render[c.payload]);
  for (const c of decodeCases()) {
    if (!wanted(c.id)) continue;
    for (const fn of ['parse', 'decode']) job(`${c.id}/${fn}`, ['op', c.id, fn], OPERATIONS.decode[c.payload]);
  }
  const width = os.availableParallelism();
  console.log(`${jobs.length} counts under callgrind (requests ${FROM + 1}–${TO} of a variant), ${width} at a time`);
  const started = Date.now();
  const counts = {};
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const { key, run } = jobs[next++];
      counts[key] = await run();
      const done = Object.keys(counts).length;
      console.log(
        `  [${done}/${jobs.length}] ${key}: ${fmt(counts[key].per)} instructions (+ ${fmt(counts[key].jit)} in the JIT, left out)`,
      );
    }
  };
  await Promise.all(Array.from({ length: width }, worker));
  fs.rmSync(dir, { recursive: true, force: true });

  const run = {
    date: new Date().toISOString(),
    machine: machineInfo(),
    source: sourceInfo(),
    requests: { from: FROM, to: TO },
    renderOperations: OPERATIONS.render,
    seconds: Math.round((Date.now() - started) / 1000),
    perRequest: {},
    render: {},
    jit: {}, // the JIT's own instructions per request or operation, left out of the figures
  };
  for (const { key } of jobs) {
    const { per, jit } = counts[key];
    run.jit[key] = Math.round(jit);
    const [kind, payload, name] = key.split('/');
    if (kind === 'render') (run.render[payload] ??= {})[name] = Math.round(per);
    else if (kind !== 'decode') run.perRequest[key] = Math.round(per);
  }
  const cases = decodeCases().filter((c) => counts[`${c.id}/parse`]);
  if (cases.length) {
    run.decodeOperations = OPERATIONS.decode;
    run.decode = Object.fromEntries(
      cases.map((c) => [c.id, { parse: Math.round(counts[`${c.id}/parse`].per), decode: Math.round(counts[`${c.id}/decode`].per) }]),
    );
  }
  const partial = only.length > 0;
  const file = path.join(ROOT, partial ? 'bench/results/tmp/instructions.json' : 'bench/results/instructions.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(run, null, 2)}\n`);
  console.log(`\n${tables(run).lines.join('\n')}`);
  if (cases.length) {
    console.log('decodeText ÷ JSON.parse, instructions per call');
    console.table(Object.fromEntries(Object.entries(run.decode).map(([id, d]) => [id, { ...d, ratio: +(d.decode / d.parse).toFixed(2) }])));
  }
  console.log(`wrote ${path.relative(ROOT, file)} in ${run.seconds} s`);
  if (!partial) console.log(`wrote ${path.relative(ROOT, writeDocs())}`);
}
const fmt = (n) => Math.round(n).toLocaleString('en-US');

/** A socket that accepts and drops whatever the response writes. */
class Sink extends Duplex {
  _read() {}
  _write(_chunk, _encoding, callback) {
    callback();
  }
}

/** One GET / through `listener`, in-process: no sockets, no load generator. */
function once(listener) {
  return new Promise((resolve) => {
    const socket = new Sink();
    const req = new http.IncomingMessage(socket);
    req.method = 'GET';
    req.url = '/';
    req.rawHeaders = ['Host', 'bench'];
    req.headers = { host: 'bench' };
    req.complete = true;
    req.push(null);
    const res = new http.ServerResponse(req);
    res.assignSocket(socket);
    res.on('finish', resolve);
    listener(req, res);
  });
}

/** The counted child: `from` steps, a full GC, process.uptime(), up to `to`, process.uptime(). */
async function countedChild(args) {
  const [from, to] = args.slice(-2).map(Number);
  let step;
  let sink = 0;
  if (args[0] === 'request') {
    const listener = await createListener(args[1]);
    step = () => once(listener);
  } else {
    // Only the cases of its own kind are made: another kind's setup would train the same functions.
    const found = (args[1].startsWith('render/') ? renderCases() : decodeCases()).find((c) => c.id === args[1]);
    if (!found) throw new Error(`unknown case "${args[1]}"`);
    const fn = found[args[2]];
    step = args[2] === 'fn' ? () => void (sink += fn().length) : () => void (sink += fn() === undefined ? 0 : 1);
  }
  for (let i = 0; i < from; i++) await step();
  globalThis.gc?.();
  process.uptime();
  for (let i = from; i < to; i++) await step();
  process.uptime();
  if (sink < 0) throw new Error('unreachable: keeps the results alive');
}

const args = process.argv.slice(2);
const only = (process.env.BENCH_ONLY || '')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);
(args[0] === 'request' || args[0] === 'op' ? countedChild(args) : main(args[0] === 'decode' && !only.length ? ['decode/'] : only)).catch(
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
