// `npm run bench:instructions`: instructions per request of each variant, and per operation of
// each render case, counted by valgrind (callgrind). Unlike time, an instruction count does not move
// with CPU steal, frequency or the neighbours of a shared machine: it is the figure of record for
// the targets. Writes bench/results/instructions.json, then regenerates docs/internals/benchmarks.md.
//
// Each count is one process: it runs `from` requests (start-up, JIT warm-up), then `to - from`
// more between two process.uptime() calls, where callgrind dumps its counters
// (--dump-before=node::Uptime*); the middle dump, less what V8's compilers did (JIT below), divided
// by `to - from`, is the figure. Node runs
// so that the count repeats to a hundredth of a percent: fixed hash and random seeds, the optimizing
// compiler and the GC on the main thread (so no work lands in the count by a thread's timing), V8
// told to optimize early, and a full GC just before the counted requests.
//
//   BENCH_INSTRUCTIONS_FROM=2500 BENCH_INSTRUCTIONS_TO=3000  requests per HTTP variant
//   BENCH_ONLY=small/,render/small/                         a subset (written to bench/results/tmp/)
//
// The counted processes are this file again, in a child mode:
//   node bench/instructions.js request <variant> <from> <to>   requests in-process, no sockets
//   node bench/instructions.js render <case> <from> <to>       render + serialize operations
'use strict';

const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { Duplex } = require('node:stream');
const { spawn, spawnSync } = require('node:child_process');
const { ROOT, machineInfo, sourceInfo } = require('./report');
const { RENDER_COUNTS: COUNTS, VARIANTS, createListener, renderCases: cases } = require('./variants');

const FROM = Number(process.env.BENCH_INSTRUCTIONS_FROM || 2500);
const TO = Number(process.env.BENCH_INSTRUCTIONS_TO || 3000);
const NODE_FLAGS = [
  '--hash-seed=1',
  '--random-seed=1',
  '--no-concurrent-recompilation',
  '--single-threaded-gc',
  // V8 optimizes a function once its interrupt budget (67584 by default) runs out.
  '--interrupt-budget=8000',
  '--expose-gc',
];
const ONLY = (process.env.BENCH_ONLY || '')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);

/**
 * What V8's compilers did: their functions' own instructions are left out of a count. The JIT's
 * work fades as the process warms up (by request 12 000 nearly every hot function is optimized),
 * but at the counted requests it is still a third or more of the instructions, and it would swamp
 * the differences measured.
 */
const JIT =
  /v8::internal::(?:compiler|maglev|baseline|interpreter|wasm)::|v8::internal::(?:Zone|Compiler|OptimizedCompilationJob|Parser|Scanner|AstValueFactory|DeclarationScope|Scope|CodeGenerator|Assembler|RegExpCompiler|TurboAssembler|MacroAssembler|Pipeline)\b/;

/** A callgrind dump → `{ total, jit }`: all instructions, and the own instructions of JIT functions. */
function tally(text) {
  const names = new Map();
  let fn = '';
  let skipNext = false;
  let total = 0;
  let jit = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('fn=') || line.startsWith('cfn=')) {
      const m = /^c?fn=\((\d+)\)(?: (.*))?$/.exec(line);
      if (m && m[2] !== undefined) names.set(m[1], m[2]);
      if (line.startsWith('fn=')) fn = m ? (names.get(m[1]) ?? '') : line.slice(3);
    } else if (line.startsWith('calls=')) {
      // The next cost line is the call's inclusive cost, already counted in the callee's own lines.
      skipNext = true;
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

/** Instructions outside the JIT between the two process.uptime() calls of `node script ...args`. */
function count(script, args, dir, n) {
  const out = path.join(dir, `${n}.out`);
  return new Promise((resolve, reject) => {
    const child = spawn(
      'valgrind',
      [
        '--tool=callgrind',
        `--callgrind-out-file=${out}`,
        '--dump-before=node::Uptime*',
        '--compress-strings=yes',
        process.execPath,
        ...NODE_FLAGS,
        script,
        ...args,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let err = '';
    child.stderr.on('data', (chunk) => (err = (err + chunk).slice(-4000)));
    child.on('error', reject);
    child.on('exit', (code) => {
      try {
        const dumps = fs.readdirSync(dir).filter((f) => f.startsWith(`${n}.out`));
        const middle = path.join(dir, `${n}.out.2`);
        const counted = fs.existsSync(middle) ? tally(fs.readFileSync(middle, 'utf8')) : undefined;
        for (const f of dumps) fs.rmSync(path.join(dir, f));
        if (code !== 0 || !counted || counted.total === 0)
          reject(new Error(`valgrind ${args.join(' ')}: exit ${code}, ${dumps.length} dumps\n${err}`));
        else resolve(counted);
      } catch (error) {
        reject(error);
      }
    });
  });
}

/** Runs the jobs `width` at a time. */
async function pool(jobs, width) {
  const results = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await jobs[i]();
    }
  };
  await Promise.all(Array.from({ length: width }, worker));
  return results;
}

async function main() {
  if (spawnSync('valgrind', ['--version']).status !== 0) throw new Error('valgrind is not installed (apt-get install valgrind)');
  const build = spawnSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs')], { stdio: 'inherit' });
  if (build.status !== 0) throw new Error('build failed');
  const wanted = (id) => ONLY.length === 0 || ONLY.some((prefix) => id.startsWith(prefix));
  const variants = VARIANTS.filter((v) => v.runners.includes('instructions') && wanted(v.id));
  const renders = cases().filter((c) => wanted(`render/${c.id}`));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-instructions-'));
  const started = Date.now();
  const jobs = [
    ...variants.map((v, n) => async () => {
      const { total, jit } = await count(path.join(__dirname, 'instructions.js'), ['request', v.id, String(FROM), String(TO)], dir, n);
      return { kind: 'http', id: v.id, per: (total - jit) / (TO - FROM), jit: jit / (TO - FROM) };
    }),
    ...renders.map((c, n) => async () => {
      const [from, to] = COUNTS[c.payload];
      const { total, jit } = await count(path.join(__dirname, 'instructions.js'), ['render', c.id, String(from), String(to)], dir, `r${n}`);
      return { kind: 'render', id: c.id, payload: c.payload, name: c.name, per: (total - jit) / (to - from), jit: jit / (to - from) };
    }),
  ];
  console.log(
    `${variants.length} variants × ${TO - FROM} requests and ${renders.length} render cases under callgrind, ${os.availableParallelism()} at a time`,
  );
  let done = 0;
  const results = await pool(
    jobs.map((job) => async () => {
      const result = await job();
      const name = `${result.kind === 'render' ? 'render/' : ''}${result.id}`;
      console.log(
        `  [${++done}/${jobs.length}] ${name}: ${Math.round(result.per).toLocaleString('en-US')} instructions (+ ${Math.round(result.jit).toLocaleString('en-US')} in the JIT, left out)`,
      );
      return result;
    }),
    Math.max(1, os.availableParallelism()),
  );
  fs.rmSync(dir, { recursive: true, force: true });
  const perRequest = {};
  const render = {};
  const jit = {};
  for (const r of results) {
    if (r.kind === 'http') perRequest[r.id] = Math.round(r.per);
    else (render[r.payload] ??= {})[r.name] = Math.round(r.per);
    jit[r.kind === 'http' ? r.id : `render/${r.id}`] = Math.round(r.jit);
  }
  const run = {
    date: new Date().toISOString(),
    machine: machineInfo(),
    source: sourceInfo(),
    requests: { from: FROM, to: TO },
    renderOperations: COUNTS,
    seconds: Math.round((Date.now() - started) / 1000),
    perRequest,
    render,
    // The JIT's own instructions per request or operation, left out of the figures above.
    jit,
  };
  const partial = ONLY.length > 0;
  const file = path.join(ROOT, partial ? 'bench/results/tmp/instructions.json' : 'bench/results/instructions.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(run, null, 2)}\n`);
  console.log(`\nwrote ${path.relative(ROOT, file)} in ${run.seconds} s`);
  const { printInstructions, writeDocs } = require('./report');
  printInstructions(run);
  if (!partial) console.log(`wrote ${path.relative(ROOT, writeDocs())}`);
}

// The counted child: `from` requests or operations (start-up, JIT warm-up), a full GC,
// process.uptime(), up to `to`, process.uptime(). Callgrind dumps its counters at each uptime call
// (--dump-before=node::Uptime*), so the middle dump holds exactly the counted part; the scavenges
// its own requests cause fall inside it.

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

async function countedChild(mode, id, from, to) {
  if (!(from >= 0) || !(to > from)) throw new Error('usage: node bench/instructions.js request|render <id> <from> <to>');
  let step;
  let sink = 0;
  if (mode === 'request') {
    const listener = await createListener(id);
    step = () => once(listener);
  } else {
    const found = cases().find((c) => c.id === id);
    if (!found) throw new Error(`unknown render case "${id}"`);
    step = () => {
      sink += found.fn().length;
    };
  }
  for (let i = 0; i < from; i++) await step();
  globalThis.gc?.();
  process.uptime();
  for (let i = from; i < to; i++) await step();
  process.uptime();
  if (sink < 0) throw new Error('unreachable: keeps the rendered texts alive');
}

const [mode, id, from, to] = process.argv.slice(2);
(mode === 'request' || mode === 'render' ? countedChild(mode, id, Number(from), Number(to)) : main()).catch((error) => {
  console.error(error);
  process.exit(1);
});
