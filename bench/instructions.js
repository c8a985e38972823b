// `npm run bench:instructions`: instructions per request of each variant, and per operation of
// each render case, counted by valgrind (callgrind). Unlike time, an instruction count does not move
// with CPU steal, frequency or the neighbours of a shared machine: it is the figure of record for
// the targets. Writes bench/results/instructions.json, then regenerates docs/performance.md.
//
// Each count is one process: it runs `from` requests (start-up, JIT warm-up), then `to - from`
// more between two process.uptime() calls, where callgrind dumps its counters
// (--dump-before=node::Uptime*); the middle dump of the main thread, divided by `to - from`, is the
// figure. Only the main thread counts (--separate-threads): V8's background compiler still
// optimizes functions thousands of requests in, and its work would swamp the differences measured
// (a third of the instructions at request 200–800); GC helper threads are left out with it. Counts
// still move by a percent or two from run to run (which code is optimized when, where the GC falls).
//
//   BENCH_INSTRUCTIONS_FROM=1000 BENCH_INSTRUCTIONS_TO=2000  requests per HTTP variant
//   BENCH_ONLY=small/,render/small/                         a subset (written to bench/results/tmp/)
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');
const { ROOT, machineInfo, sourceInfo } = require('./machine');
const { VARIANTS } = require('./variants');
const { cases, COUNTS } = require('./render');

const FROM = Number(process.env.BENCH_INSTRUCTIONS_FROM || 1000);
const TO = Number(process.env.BENCH_INSTRUCTIONS_TO || 2000);
// V8 optimizes a function once its interrupt budget runs out; a smaller budget than the default
// (67584) gets the hot code optimized within the warm-up instead of during the counted requests.
// --expose-gc lets the counted part start after a full GC.
const NODE_FLAGS = ['--interrupt-budget=8000', '--expose-gc'];
const ONLY = (process.env.BENCH_ONLY || '').split(',').map((s) => s.trim()).filter(Boolean);

/** Main-thread instructions between the two process.uptime() calls of `node script ...args`, under callgrind. */
function count(script, args, dir, n) {
  const out = path.join(dir, `${n}.out`);
  return new Promise((resolve, reject) => {
    const child = spawn(
      'valgrind',
      ['--tool=callgrind', '--separate-threads=yes', `--callgrind-out-file=${out}`, '--dump-before=node::Uptime*', process.execPath, ...NODE_FLAGS, script, ...args],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let err = '';
    child.stderr.on('data', (chunk) => (err = (err + chunk).slice(-4000)));
    child.on('error', reject);
    child.on('exit', (code) => {
      try {
        const dumps = fs.readdirSync(dir).filter((f) => f.startsWith(`${n}.out`));
        const middle = path.join(dir, `${n}.out.2-01`);
        const match = fs.existsSync(middle) ? /^summary: (\d+)$/m.exec(fs.readFileSync(middle, 'utf8')) : null;
        for (const f of dumps) fs.rmSync(path.join(dir, f));
        if (code !== 0 || !match) reject(new Error(`valgrind ${args.join(' ')}: exit ${code}, ${dumps.length} dumps\n${err}`));
        else resolve(Number(match[1]));
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
    ...variants.map((v, n) => async () => ({ kind: 'http', id: v.id, per: (await count(path.join(__dirname, 'pipeline.js'), [v.id, String(FROM), String(TO)], dir, n)) / (TO - FROM) })),
    ...renders.map((c, n) => async () => {
      const [from, to] = COUNTS[c.payload];
      const total = await count(path.join(__dirname, 'render.js'), ['count', c.id, String(from), String(to)], dir, `r${n}`);
      return { kind: 'render', id: c.id, payload: c.payload, name: c.name, per: total / (to - from) };
    }),
  ];
  console.log(`${variants.length} variants × ${TO - FROM} requests and ${renders.length} render cases under callgrind, ${os.availableParallelism()} at a time`);
  let done = 0;
  const results = await pool(
    jobs.map((job) => async () => {
      const result = await job();
      console.log(`  [${++done}/${jobs.length}] ${result.kind === 'render' ? 'render/' : ''}${result.id}: ${Math.round(result.per).toLocaleString('en-US')} instructions`);
      return result;
    }),
    Math.max(1, os.availableParallelism()),
  );
  fs.rmSync(dir, { recursive: true, force: true });
  const perRequest = {};
  const render = {};
  for (const r of results) {
    if (r.kind === 'http') perRequest[r.id] = Math.round(r.per);
    else (render[r.payload] ??= {})[r.name] = Math.round(r.per);
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

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
