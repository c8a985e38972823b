// Writes a run's results: bench/results/latest.json, docs/performance.md and docs/performance.svg.
// A partial run (BENCH_ONLY / BENCH_SKIP) writes the same three files under bench/results/tmp/.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { renderChart } = require('./chart');
const { mb } = require('./memory');
const { ROOT } = require('./machine');
const { PRESETS } = require('./variants');

/** Pretty JSON that keeps any object or array short enough on one line, so the file stays small. */
function toJson(value, indent = '') {
  const inline = JSON.stringify(value);
  if (value === null || typeof value !== 'object' || indent.length + inline.length <= 110) return inline;
  const inner = `${indent}  `;
  const items = Array.isArray(value)
    ? value.map((item) => `${inner}${toJson(item, inner)}`)
    : Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => `${inner}${JSON.stringify(k)}: ${toJson(v, inner)}`);
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  return `${open}\n${items.join(',\n')}\n${indent}${close}`;
}

const fmt = (n) => Math.round(n).toLocaleString('en-US');
const x = (ratio) => (ratio === undefined ? '' : ratio.toFixed(3));

function targetsSection(results) {
  if (!results.targets.length) return [];
  const lines = [
    '## Targets',
    '',
    'From the quality bars ([contract.md](contract.md#quality-bars)): every preset\'s success path keeps at least 97 % of the',
    'hand-written equivalent\'s requests per second, and the error path is at least as fast as',
    'strong-error-handler. Here a target is judged on the **server\'s CPU time per request** ("CPU',
    'ratio": the other side\'s CPU per request over this variant\'s, the throughput a CPU-bound server',
    'would keep), with the req/s ratio of the same run beside it. "Per round" is the median (and range)',
    'of the ratios within each round, where both were measured side by side. On this shared machine',
    'both swing by 20–30 % from round to round, more than the 3 % the targets are about: read them with',
    '[Instructions per request](#instructions-per-request), which do not swing with the machine.',
    '',
    '| variant | against | target | CPU ratio | CPU per round (min–max) | req/s ratio | req/s per round (min–max) | met |',
    '| --- | --- | ---: | ---: | --- | ---: | --- | --- |',
  ];
  for (const t of results.targets) {
    const verdict = t.met ? 'yes' : `**no**, short by ${t.shortBy.toFixed(3)}`;
    lines.push(
      `| \`${t.variant}\` | \`${t.against}\` | ≥ ${t.min.toFixed(2)} | ${x(t.cpuRatio)} | ${x(t.pairedCpu.median)} (${x(t.pairedCpu.min)}–${x(t.pairedCpu.max)}) ` +
        `| ${x(t.ratio)} | ${x(t.paired.median)} (${x(t.paired.min)}–${x(t.paired.max)}) | ${verdict} |`,
    );
  }
  const met = results.targets.filter((t) => t.met).length;
  lines.push('', `${met} of ${results.targets.length} targets met in this run.`, '');
  return lines;
}

function groupSection(results, group) {
  const withReference = group.reference !== undefined;
  const lines = [
    `### ${group.title}`,
    '',
    `Baseline: \`${group.baseline}\`${withReference ? `; hand-written reference: \`${group.reference}\`` : ''}.`,
    '',
    `| variant | what | req/s | p99 ms | CPU µs/req | × ${group.baselineShort} (req/s, CPU) |${withReference ? ' × hand-written (req/s, CPU) |' : ''} req/s per round (min–max) |`,
    `| --- | --- | ---: | ---: | ---: | ---: |${withReference ? ' ---: |' : ''} --- |`,
  ];
  for (const row of group.rows) {
    const v = results.variants[row.id];
    const name = row.id === group.baseline ? `**\`${row.id}\`**` : `\`${row.id}\``;
    const warn = v.anomalies ? ` ⚠ ${v.anomalies} unexpected` : '';
    lines.push(
      `| ${name} | ${v.label.replace(/\|/g, '\\|')} | ${fmt(v.rps.median)} | ${v.p99.toFixed(2)} | ${v.cpu.median.toFixed(1)} | ${x(row.vsBaseline)}, ${x(row.cpuVsBaseline)} |` +
        `${withReference ? ` ${x(row.vsReference)}, ${x(row.cpuVsReference)} |` : ''} ${fmt(v.rps.min)}–${fmt(v.rps.max)}${warn} |`,
    );
  }
  lines.push('');
  return lines;
}

function microSection(micro) {
  if (!micro) return [];
  const { small, list } = micro.results;
  const lines = [
    '## Rendering alone (micro-benchmark)',
    '',
    `\`resolveFormat(preset).render(outcome, ctx)\` then \`serialize(body)\`, against \`JSON.stringify(payload)\`,`,
    `in a child process of its own before any server starts: median of ${micro.batches} batches of ~${micro.batchMs} ms after a warm-up,`,
    'cases interleaved batch by batch. A fresh success outcome is made per operation, as per request.',
    '',
    `| case | ${small.bytes} B object, ns/op | × JSON.stringify | ${list.bytes} B list, ns/op | × JSON.stringify |`,
    '| --- | ---: | ---: | ---: | ---: |',
  ];
  for (const name of ['JSON.stringify', ...PRESETS]) {
    lines.push(`| ${name === 'JSON.stringify' ? '`JSON.stringify(payload)`' : `\`${name}\``} | ${fmt(small.ns[name])} | ${small.ratio[name].toFixed(2)} | ${fmt(list.ns[name])} | ${list.ratio[name].toFixed(2)} |`);
  }
  lines.push('');
  return lines;
}

function memorySection(memory) {
  if (!memory) return [];
  const h = memory.heapUsed;
  const statuses = Object.entries(memory.statuses)
    .map(([code, n]) => `${fmt(n)} × ${code}`)
    .join(', ');
  return [
    '## Memory',
    '',
    `A server with \`requestId()+envelope('vbapi')+errorHandler()\`, started with \`--expose-gc\`, driven with`,
    `${fmt(memory.requests)} requests cycling through \`${memory.mix.join('`, `')}\` (${statuses}) after a warm-up of`,
    `${fmt(memory.warmupRequests)}. Before each reading the server runs \`gc()\` twice (its \`/__heap\` endpoint, not counted).`,
    '',
    '| reading | heapUsed (MB) |',
    '| --- | ---: |',
    `| at start | ${mb(h.start)} |`,
    `| after the warm-up | ${mb(h.afterWarmup)} |`,
    `| after ${fmt(Math.floor(memory.requests / 2))} requests | ${mb(h.mid)} |`,
    `| after ${fmt(memory.requests)} requests | ${mb(h.after)} |`,
    '',
    `Growth after the warm-up: ${mb(memory.growthBytes)} MB (${memory.growthPercent} %): ` +
      `${memory.flat ? '**flat**' : '**not flat**'} (rule: ${memory.rule}).`,
    '',
  ];
}

function machineSection(results) {
  const { machine, source, settings, wallSeconds } = results;
  const phases = Object.entries(wallSeconds)
    .filter(([name]) => name !== 'total')
    .map(([name, s]) => `${name} ${s} s`)
    .join(', ');
  return [
    '## Machine and settings',
    '',
    `- Date: ${results.date}`,
    `- CPU: ${machine.cpu}, ${machine.cores} cores (load generator and server share them), ${machine.memoryGB} GB RAM, ${machine.os}`,
    `- Node ${machine.node} (V8 ${machine.v8})`,
    `- Package: ${source.name} ${source.version}, commit ${source.commit}` +
      `${source.uncommittedSourceChanges ? ' plus uncommitted changes in lib/ or middleware/' : ''}, the built \`dist/cjs\``,
    `- autocannon: ${settings.connections} connections, pipelining ${settings.pipelining}; ${settings.warmup} s warm-up per server,` +
      ` then ${settings.rounds} rounds of ${settings.seconds} s per server, interleaved`,
    `- Wall time: ${wallSeconds.total} s (${phases})`,
    ...noiseLine(results.noise),
    '',
  ];
}

function noiseLine(noise) {
  if (!noise) return [];
  const parts = [];
  if (noise.stealPercent) parts.push(`CPU steal (cores taken by the VM's host) during the samples: median ${noise.stealPercent.median} %, at most ${noise.stealPercent.max} %`);
  if (noise.roundSpreadPercent !== undefined) parts.push(`a variant's req/s varied by a median ${noise.roundSpreadPercent} % between its rounds (max − min, over the median)`);
  return parts.length ? [`- Noise: ${parts.join('; ')}`] : [];
}

const REPRODUCE = [
  '## How to reproduce',
  '',
  '```sh',
  'npm install',
  'npm run bench            # build, micro-benchmark, every server in interleaved rounds, memory check',
  'npm run bench:instructions  # instructions per request under valgrind (about 8 minutes)',
  '',
  '# a smoke run (about a minute)',
  'BENCH_ROUNDS=1 BENCH_SECONDS=1 BENCH_WARMUP=0.5 BENCH_MEMORY_REQUESTS=20000 npm run bench',
  '',
  '# a subset while working on one path: writes bench/results/tmp/, leaves docs/ alone',
  'BENCH_ONLY=small/vbapi,error/ BENCH_SKIP=micro,memory npm run bench',
  '',
  '# CPU profile of one variant under load, with the top functions by self time',
  'npm run build && node bench/profile.js small/vbapi 5',
  '```',
  '',
  '| variable | default | meaning |',
  '| --- | --- | --- |',
  '| `BENCH_ROUNDS` | `5` | measured rounds per server |',
  '| `BENCH_SECONDS` | `2` | length of one measurement (multiples of 0.25 s) |',
  '| `BENCH_WARMUP` | `2.5` | warm-up per server before the first round, seconds |',
  '| `BENCH_CONNECTIONS` | `50` | autocannon connections, the same for every server |',
  '| `BENCH_PIPELINING` | `1` | autocannon pipelining |',
  '| `BENCH_MEMORY_REQUESTS` | `200000` | requests of the memory check |',
  '| `BENCH_ONLY` | all | comma-separated prefixes of variant ids (`small/`, `error/`, `list/vbapi`…); the baselines come along |',
  '| `BENCH_SKIP` | none | any of `build`, `micro`, `memory` |',
  '',
];

const METHOD = [
  '## Method',
  '',
  '- `npm run bench` runs `bench/run.js`: it builds the package (`npm run build`) and measures the built',
  '  `dist/cjs`. Each variant is an HTTP server in a child process of its own on 127.0.0.1 (a free port,',
  '  announced over IPC); all start up front, each is checked once (status, JSON body, `X-Request-Id`),',
  '  warmed up, then driven in turn by autocannon from the parent, round after round (A B C … A B C …),',
  '  so machine noise hits every variant alike. Req/s is the requests completed divided by the',
  '  measured time; p99 is over every response of the round; both are medians over the rounds.',
  '- CPU µs/req is the server process\'s own CPU time (user + system, `process.cpuUsage()` read over IPC',
  '  before and after each round) divided by the requests it answered in that round. Where `taskset`',
  '  exists, the servers run on the last core and the load generator on the first, so they do not take',
  '  turns on one core.',
  '- Every variant sends the same payloads (`bench/fixtures/`): a 194-byte object and a 10 kB list of',
  '  52 objects. Every route does `res.json(payload)`, except the hand-written envelope (which builds',
  '  `{ data, error: null, debug: { activityId } }` inline) and the error path (a route that throws',
  '  `createError(404, \'Client not found\')`).',
  '- `ceiling` is plain `node:http` with `JSON.stringify`: what any Express app gives up. The hand-written',
  '  equivalent is `crypto.randomUUID()` + `setHeader(\'X-Request-Id\')` + `req.id` + `AsyncLocalStorage.run`',
  '  and an inline VBAPI envelope: the least a request id and an envelope can cost.',
  '- express-request-id 3 is ESM-only; the CommonJS child loads it with a dynamic `import()`. It keeps',
  '  no async context (no `AsyncLocalStorage`) and makes ids with the `uuid` package.',
  '- The load generator and the server share the machine, so absolute numbers are lower than on a',
  '  server with a separate client; the ratios, measured side by side, are what the targets use.',
  '- On a shared virtual machine one 2 s sample can be off by 10–20 % (the host takes CPU time: "steal"),',
  '  so a ratio from one run is good to a few percent only. Read the per-round range, and settle a',
  '  close call with a focused run of more rounds, e.g.',
  '  `BENCH_ONLY=small/ BENCH_ROUNDS=15 BENCH_SKIP=micro,memory npm run bench`.',
  '',
];

/** The last `npm run bench:instructions` (bench/results/instructions.json), when there is one. */
function instructionsSection() {
  const file = path.join(ROOT, 'bench/results/instructions.json');
  if (!fs.existsSync(file)) return [];
  const run = JSON.parse(fs.readFileSync(file, 'utf8'));
  const lines = [
    '## Instructions per request',
    '',
    'Time on this shared machine swings by tens of percent from one round to the next, CPU time',
    'included, so the same question is also answered with a count that does not move with it:',
    '`npm run bench:instructions` runs each server in-process (`bench/pipeline.js`, no sockets and no',
    `load generator) under valgrind (callgrind) for ${run.from} and for ${run.to} requests, and divides the`,
    'difference in instructions by the difference in requests. "× reference" is the reference\'s count',
    'over the variant\'s: above 1, the variant does less work per request. Counts still vary by about',
    '±3 % from run to run (when the JIT compiles, when the GC runs).',
    '',
    `Run of ${run.date.slice(0, 10)}, Node ${run.node}, ${run.seconds} s.`,
    '',
  ];
  for (const group of run.groups) {
    lines.push(`### ${group.title}`, '', `Reference: \`${group.reference}\`; target ≥ ${group.target}.`, '');
    lines.push('| variant | instructions / request | × reference |', '| --- | ---: | ---: |');
    for (const row of group.rows) lines.push(`| \`${row.id}\` | ${fmt(row.instructions)} | ${x(row.vsReference)} |`);
    lines.push('');
  }
  return lines;
}

function renderMarkdown(results, svgName) {
  return [
    '# Performance',
    '',
    '<!-- Generated by `npm run bench` (bench/report.js) from bench/results/latest.json: do not edit by hand. -->',
    '',
    'What `requestId()`, `envelope()` and `errorHandler()` cost per request, measured against bare',
    'Express 5, a hand-written equivalent and other packages, in one run on one machine.',
    '',
    `![Median requests per second per variant](${svgName})`,
    '',
    ...targetsSection(results),
    '## Results',
    '',
    ...results.groups.flatMap((group) => groupSection(results, group)),
    ...instructionsSection(),
    ...microSection(results.micro),
    ...memorySection(results.memory),
    ...machineSection(results),
    ...REPRODUCE,
    ...METHOD,
  ].join('\n');
}

/** Writes the three files (the JSON too unless `json: false`); returns their paths. */
function writeReport(results, { partial = false, json = true } = {}) {
  const dir = partial ? path.join(ROOT, 'bench/results/tmp') : undefined;
  const files = {
    json: partial ? path.join(dir, 'partial.json') : path.join(ROOT, 'bench/results/latest.json'),
    md: partial ? path.join(dir, 'performance.md') : path.join(ROOT, 'docs/performance.md'),
    svg: partial ? path.join(dir, 'performance.svg') : path.join(ROOT, 'docs/performance.svg'),
  };
  for (const file of Object.values(files)) fs.mkdirSync(path.dirname(file), { recursive: true });
  if (json) fs.writeFileSync(files.json, `${toJson(results)}\n`);
  else delete files.json;
  fs.writeFileSync(files.svg, renderChart(results));
  fs.writeFileSync(files.md, renderMarkdown(results, path.basename(files.svg)));
  return Object.values(files);
}

// `node bench/report.js`: rewrites docs/performance.md and .svg from bench/results/latest.json.
if (require.main === module) {
  const results = JSON.parse(fs.readFileSync(path.join(ROOT, 'bench/results/latest.json'), 'utf8'));
  console.log(`wrote ${writeReport(results, { json: false }).map((f) => path.relative(ROOT, f)).join(', ')}`);
}

module.exports = { writeReport, renderMarkdown };
