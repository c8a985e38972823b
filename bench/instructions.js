// `npm run bench:instructions`: instructions per request of each variant, counted by valgrind
// (callgrind) over the in-process pipeline of bench/pipeline.js. Unlike time, an instruction count
// does not move with CPU steal, frequency or the neighbours of a shared machine, so it settles
// ratios that a noisy run of `npm run bench` cannot. Writes bench/results/instructions.json.
//
//   BENCH_INSTRUCTIONS_FROM=300 BENCH_INSTRUCTIONS_TO=1300  (requests; the difference is counted)
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');
const { ROOT } = require('./machine');

const FROM = Number(process.env.BENCH_INSTRUCTIONS_FROM || 300);
const TO = Number(process.env.BENCH_INSTRUCTIONS_TO || 1300);
const PIPELINE = path.join(__dirname, 'pipeline.js');

const GROUPS = [
  {
    title: 'Success path, 200 B object',
    reference: 'small/handwritten',
    target: 0.97,
    ids: ['small/bare', 'small/handwritten', 'small/vbapi', 'small/backendResponse', 'small/wispanel', 'small/webServiceReturn', 'small/statusOk', 'small/jsend', 'small/problem'],
  },
  {
    title: 'Error path, a thrown createError(404)',
    reference: 'error/strong-error-handler',
    target: 1,
    ids: ['error/strong-error-handler', 'error/ours-problem', 'error/ours-vbapi', 'error/minimal'],
  },
];

/** Total instructions of `node bench/pipeline.js id n` under callgrind. */
function count(id, n) {
  return new Promise((resolve, reject) => {
    const child = spawn('valgrind', ['--tool=callgrind', '--callgrind-out-file=/dev/null', process.execPath, PIPELINE, id, String(n)], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (chunk) => (err += chunk));
    child.on('error', reject);
    child.on('exit', (code) => {
      const match = /Collected : (\d+)/.exec(err);
      if (code !== 0 || !match) reject(new Error(`valgrind ${id} ${n}: exit ${code}\n${err.slice(-2000)}`));
      else resolve(Number(match[1]));
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
  const ids = [...new Set(GROUPS.flatMap((g) => g.ids))];
  const started = Date.now();
  const jobs = ids.flatMap((id) => [FROM, TO].map((n) => () => count(id, n)));
  const totals = await pool(jobs, Math.max(1, os.availableParallelism()));
  const perRequest = {};
  ids.forEach((id, i) => {
    perRequest[id] = Math.round((totals[2 * i + 1] - totals[2 * i]) / (TO - FROM));
  });
  const groups = GROUPS.map((group) => ({
    title: group.title,
    reference: group.reference,
    target: group.target,
    rows: group.ids.map((id) => ({
      id,
      instructions: perRequest[id],
      // Above 1: fewer instructions per request than the reference.
      vsReference: Math.round((perRequest[group.reference] / perRequest[id]) * 1000) / 1000,
    })),
  }));
  const results = { date: new Date().toISOString(), node: process.version, from: FROM, to: TO, seconds: Math.round((Date.now() - started) / 1000), groups };
  const file = path.join(ROOT, 'bench/results/instructions.json');
  fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  for (const group of groups) {
    console.log(`\n${group.title} (reference ${group.reference}, target ≥ ${group.target})`);
    for (const row of group.rows) console.log(`  ${row.id.padEnd(30)} ${String(row.instructions).padStart(9)} instructions/request  ×ref ${row.vsReference.toFixed(3)}`);
  }
  console.log(`\nwrote ${path.relative(ROOT, file)} in ${results.seconds} s`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
