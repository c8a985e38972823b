// Writes docs/internals/benchmarks.md from the last instruction count (bench/results/instructions.json) and
// the last timing run that passed its calibration (bench/results/latest.json; a refused run never
// gets there). `node bench/report.js` rewrites the page from those two files alone.
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { CALIBRATION, FORMATS, GROUPS, PRESETS, RENDER_TARGET, VARIANTS } = require('./variants');

const { QUIET_FRACTION, MAX_STEAL, MAX_DRIFT, IDLE_LOAD_PER_CORE } = CALIBRATION;
const ROOT = path.join(__dirname, '..');

// What the run ran on and what it measured: machine, Node, and the commit of the package.

function git(args) {
  const result = spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

function machineInfo() {
  const cpus = os.cpus();
  return {
    cpu: cpus.length ? cpus[0].model.trim() : 'unknown',
    cores: typeof os.availableParallelism === 'function' ? os.availableParallelism() : cpus.length,
    memoryGB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    v8: process.versions.v8,
  };
}

/** The commit measured, and whether the sources differed from it (another change in progress). */
function sourceInfo() {
  const { name, version } = require('../package.json');
  const commit = git(['rev-parse', '--short', 'HEAD']);
  const changed = git(['status', '--porcelain', '--', 'lib', 'response', 'middleware', 'index.ts']);
  return { name, version, commit, uncommittedSourceChanges: changed === undefined ? undefined : changed !== '' };
}

// Small statistics: median, percentile, rounding for the results files.

function median(values) {
  return percentile(values, 50);
}

/** The p-th percentile (nearest rank on the sorted values); NaN for no values. */
function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  if (p === 50 && sorted.length % 2 === 0) {
    const mid = sorted.length / 2;
    return (sorted[mid - 1] + sorted[mid]) / 2;
  }
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

function round(value, digits = 0) {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

// The page.

const DOC = path.join(ROOT, 'docs/internals/benchmarks.md');
const fmt = (n) => (n === undefined ? '—' : Math.round(n).toLocaleString('en-US'));
const x = (r, digits = 3) => (r === undefined || !Number.isFinite(r) ? '—' : r.toFixed(digits));
const label = (id) => VARIANTS.find((v) => v.id === id)?.label ?? id;

function readJson(file) {
  const full = path.join(ROOT, file);
  return fs.existsSync(full) ? JSON.parse(fs.readFileSync(full, 'utf8')) : undefined;
}

/** Every target, judged by instructions, with the passed timing run's CPU ratio beside it. */
function targetRows(counts, timing) {
  const rows = [];
  const cpu = (id, baseline) => {
    const t = timing?.variants;
    return t?.[id] && t[baseline] ? t[id].cpu / t[baseline].cpu : undefined;
  };
  for (const group of GROUPS.filter((g) => g.target)) {
    for (const id of group.target.of) {
      const n = counts?.perRequest[id];
      const base = counts?.perRequest[group.baseline];
      const ratio = n && base ? n / base : undefined;
      rows.push({ what: group.target.text, id, against: group.baseline, ratio, cpu: cpu(id, group.baseline), max: group.target.max });
    }
  }
  for (const [payload, entry] of Object.entries(counts?.render ?? {})) {
    for (const { id } of FORMATS) {
      const ratio = entry[id] / entry['JSON.stringify'];
      const micro = timing?.micro?.results[payload]?.ratio[id];
      rows.push({
        what: `render + serialize ≤ ${RENDER_TARGET} × JSON.stringify`,
        id: `render/${payload}/${id}`,
        against: `${payload}/JSON.stringify`,
        ratio,
        cpu: micro,
        max: RENDER_TARGET,
      });
    }
  }
  return rows;
}

/** Judged by instructions where counted, else by the passed timing run. */
function verdict(ratio, cpu, max) {
  const [value, by] = ratio !== undefined ? [ratio, ''] : [cpu, ' (by time)'];
  if (value === undefined) return 'timing only: no run passed calibration yet';
  return value <= max ? `yes${by}` : `**no**, ${((value / max - 1) * 100).toFixed(1)} % over${by}`;
}

function targetsSection(counts, timing) {
  const rows = targetRows(counts, timing);
  const measured = rows.filter((r) => (r.ratio ?? r.cpu) !== undefined);
  const met = measured.filter((r) => (r.ratio ?? r.cpu) <= r.max).length;
  const counted = measured.length;
  return [
    '## Targets',
    '',
    "Cost ratios: the variant's instructions per request (or per operation) over the baseline's, so",
    'below 1 costs less. Instructions are the figure of record; "time" is the same ratio from the last',
    'timing run that passed its calibration (server CPU per request; for render, ns per operation).',
    '',
    '| target | variant | against | instructions × | time × | met |',
    '| --- | --- | --- | ---: | ---: | --- |',
    ...rows.map((r) => `| ${r.what} | \`${r.id}\` | \`${r.against}\` | ${x(r.ratio)} | ${x(r.cpu)} | ${verdict(r.ratio, r.cpu, r.max)} |`),
    '',
    `${met} of ${counted} measured targets met${counts ? ` (instructions of ${counts.date.slice(0, 10)}, commit ${counts.source.commit})` : ''}.`,
    '',
  ];
}

/** What each step of the success path is, and what was done about its cost. */
const STEPS = {
  'small/bare': ['bare Express 5', '`res.json(payload)`: the baseline.'],
  'parts/id': [
    'id generation',
    "`requestId({ setHeader: false, asyncContext: false })`: one more middleware for Express's router to dispatch, the incoming header read and checked, else a v4 UUID (`uuid` hands it to `crypto.randomUUID()`, which draws from a batch of random bytes), and `req.id`. Express gives each request a new prototype, after which V8 adds a property on a slow path that costs about as much as a whole middleware (15,000 instructions here); so `req.id` is an accessor on the app's own request prototype, backed by a WeakMap (docs/decisions.md (ae)), which saved 12,900 instructions per request.",
  ],
  'parts/header': ['header', "`res.setHeader('X-Request-Id', id)`: Node validates the name and the value."],
  'parts/als': [
    'AsyncLocalStorage',
    '`AsyncLocalStorage.run(id, next)` for `currentRequestId()`. Besides the run itself, the async hooks it turns on for the whole process call back on every async resource and promise. It cannot go without changing behaviour, so `requestId({ asyncContext: false })` drops it when nothing reads `currentRequestId()`.',
  ],
  'small/vbapi': [
    'envelope lookup + render + serialize + write',
    "`envelope('vbapi')` + `errorHandler()` in place of Express's own `res.json`: one more middleware to dispatch and a WeakMap entry for the responder; the shared `res.json` installed once on the prototype (nothing written on `res`); the body's text spliced from cached pieces (`lib/fast-text.ts`) instead of an object built and stringified; `Content-Type` set with `setHeader` (Express's `res.set` looks the charset up); the outcome in a WeakMap for rate limiting and loggers; `res.send` as before (ETag, freshness, HEAD).",
  ],
};

function partsSection(counts) {
  const n = counts?.perRequest;
  if (!n || !n['small/bare'] || !n['small/vbapi']) return [];
  const order = ['small/bare', 'parts/id', 'parts/header', 'parts/als', 'small/vbapi'];
  const bare = n['small/bare'];
  const lines = [
    '## The success path, piece by piece (vbapi, 200 B object)',
    '',
    "Each step adds one piece to the one before it, using the package's own middleware with options",
    '(`bench/variants.js`, group `parts`): what a piece costs is the difference in instructions per',
    'request. The render + serialize share comes from the render counts below.',
    '',
    '| step | what it is, what was done | instructions / request | + this step | × bare |',
    '| --- | --- | ---: | ---: | ---: |',
  ];
  let previous;
  for (const id of order) {
    if (n[id] === undefined) continue;
    const [name, text] = STEPS[id];
    lines.push(`| ${name} | ${text} | ${fmt(n[id])} | ${previous === undefined ? '' : fmt(n[id] - previous)} | ${x(n[id] / bare)} |`);
    previous = n[id];
  }
  const render = counts.render?.small;
  if (render && n['parts/als']) {
    const extra = render.vbapi - render['JSON.stringify'];
    const envelope = n['small/vbapi'] - n['parts/als'];
    lines.push(
      '',
      `Of the last step's ${fmt(envelope)} instructions, render + serialize beyond \`JSON.stringify(payload)\` are ${fmt(extra)}`,
      `(\`render/small/vbapi\` − \`render/small/JSON.stringify\`); the other ${fmt(envelope - extra)} are the envelope lookup and the write.`,
    );
  }
  if (n['parts/vbapi-no-als'] !== undefined) {
    lines.push(
      '',
      `With \`requestId({ asyncContext: false })\` the whole vbapi path is ${fmt(n['parts/vbapi-no-als'])} instructions per request,`,
      `${x(n['parts/vbapi-no-als'] / bare)} × bare Express, against ${x(n['small/vbapi'] / bare)} × with async context: a gain of`,
      `${x((1 - n['parts/vbapi-no-als'] / n['small/vbapi']) * 100, 1)} %, at the price of \`currentRequestId()\` returning \`undefined\`.`,
    );
  }
  lines.push('');
  return lines;
}

/** The one-middleware path, per preset, against bare Express and the hand-written equivalent. */
function oneMiddlewareSection(counts) {
  const n = counts?.perRequest ?? {};
  const [bare, hand] = [n['small/bare'], n['small/handwritten']];
  const presets = PRESETS.filter((p) => n[`small/one/${p}`] !== undefined);
  if (!bare || !presets.length) return [];
  const lines = [
    '## One middleware instead of two (200 B object)',
    '',
    "`envelope(preset, { requestId: true })` applies `requestId()`'s policy itself (incoming header,",
    '`traceparent`, the header, async context), so Express dispatches one middleware fewer. Against bare',
    'Express, against the hand-written equivalent (`crypto.randomUUID()` + `setHeader` + `AsyncLocalStorage.run`',
    '+ an inline envelope + `res.json`, in one middleware), and `requestId()+envelope()` beside it where counted:',
    '',
    '| preset | one middleware: instructions / request | × bare | × hand-written | `requestId()+envelope()` × bare |',
    '| --- | ---: | ---: | ---: | ---: |',
  ];
  for (const p of presets) {
    const one = n[`small/one/${p}`];
    const two = n[`small/${p}`];
    lines.push(`| \`${p}\` | ${fmt(one)} | ${x(one / bare)} | ${hand ? x(one / hand) : '—'} | ${two ? x(two / bare) : '—'} |`);
  }
  if (hand) lines.push('', `The hand-written equivalent: ${fmt(hand)} instructions per request, ${x(hand / bare)} × bare.`);
  if (counts.concurrentRuns > 1) {
    lines.push(
      '',
      `These figures come from ${counts.concurrentRuns} runs made side by side on the same commit and a loaded machine; each`,
      'ratio is taken against the bare Express of the same page.',
    );
  }
  lines.push('');
  return lines;
}

/** What the error path's floor says about its target. */
function errorNote(counts) {
  const n = counts?.perRequest ?? {};
  const [strong, floor] = [n['error/strong-error-handler'], n['error/floor']];
  if (!strong || !floor) return [];
  const handler = (id) => n[id] - floor;
  const lines = [
    '## The error path: what a handler can change',
    '',
    `\`error/floor\` is the least any error handler can do once Express has caught the error: set the status and end`,
    `the response, with no body and no id. It costs ${fmt(floor)} instructions per request, ${x(floor / strong)} × strong-error-handler:`,
    'the rest of the path (Express catching the throw, http-errors building the error and capturing its stack, the',
    'router looking for an error handler, Node writing the head) is the same whichever handler answers. Above the floor:',
    '',
    '| variant | instructions / request | above the floor | × strong-error-handler |',
    '| --- | ---: | ---: | ---: |',
  ];
  for (const id of ['error/strong-error-handler', 'error/ours-problem', 'error/ours-vbapi']) {
    if (n[id] !== undefined) lines.push(`| \`${id}\` | ${fmt(n[id])} | ${fmt(handler(id))} | ${x(n[id] / strong)} |`);
  }
  const needed = strong / 1.15;
  lines.push(
    '',
    `1.15 × as cheap as strong-error-handler means at most ${fmt(needed)} instructions per request, ` +
      `${needed < floor ? `${fmt(floor - needed)} below the floor itself: no handler can meet it on this path` : `${fmt(needed - floor)} above the floor`}.`,
    '',
  );
  return lines;
}

function countsSection(counts) {
  if (!counts) {
    return ['## Instructions per request', '', 'No instruction count yet: run `npm run bench:instructions`.', ''];
  }
  const lines = [
    '## Instructions per request',
    '',
    `Counted by \`npm run bench:instructions\` on ${counts.date.slice(0, 10)} (commit ${counts.source.commit}, Node ${counts.machine.node},`,
    `${counts.machine.cpu}): valgrind (callgrind) over requests ${counts.requests.from + 1}–${counts.requests.to} of each variant, in-process`,
    '(`bench/instructions.js request`: no sockets, no load generator), starting after a full GC. Node runs so that',
    'a count repeats on a quiet machine (fixed hash and random seeds, the optimizing compiler and the GC on',
    'the main thread); on a loaded one, work V8 does on timers lands in the window and the same variant has',
    'counted up to 10 % more, so compare the variants of one run only, as the ratios do. The own',
    "instructions of V8's compilers are left out: the JIT is still at work this",
    'early (nearly every hot function is optimized only by request 12 000) and would swamp the differences;',
    '`bench/results/instructions.json` keeps what was left out. Render cases count operations',
    `${counts.renderOperations.small[0] + 1}–${counts.renderOperations.small[1]} (200 B) and ${counts.renderOperations.list[0] + 1}–${counts.renderOperations.list[1]} (10 kB) the same way.`,
    ...(counts.renderFrom
      ? [
          '',
          `This run counted requests only; the render counts are those of ${counts.renderFrom.date.slice(0, 10)} (commit ${counts.renderFrom.commit}).`,
        ]
      : []),
    '',
  ];
  for (const group of GROUPS.filter((g) => g.id !== 'parts')) {
    const rows = group.members.filter((id) => counts.perRequest[id] !== undefined);
    if (!rows.length) continue;
    const base = counts.perRequest[group.baseline];
    lines.push(`### ${group.title}`, '', '| variant | what | instructions / request | × baseline |', '| --- | --- | ---: | ---: |');
    for (const id of rows)
      lines.push(`| \`${id}\` | ${label(id).replace(/\|/g, '\\|')} | ${fmt(counts.perRequest[id])} | ${x(counts.perRequest[id] / base)} |`);
    lines.push('');
  }
  if (counts.render && Object.keys(counts.render).length) {
    const payloads = Object.keys(counts.render);
    lines.push(
      '### Render + serialize',
      '',
      "What the engine does to make a body's text (`renderText()` in `lib/fast-text.ts`: the spliced text of a",
      'plain success, else `render()` then `serialize()`), per operation, against `JSON.stringify(payload)`.',
      '',
      `| format | ${payloads.map((p) => `${p}: instructions | ×`).join(' | ')} |`,
      `| --- | ${payloads.map(() => '---: | ---:').join(' | ')} |`,
    );
    for (const name of ['JSON.stringify', ...FORMATS.map((f) => f.id)]) {
      const cells = payloads.map(
        (p) => `${fmt(counts.render[p][name])} | ${x(counts.render[p][name] / counts.render[p]['JSON.stringify'])}`,
      );
      lines.push(`| \`${name}\` | ${cells.join(' | ')} |`);
    }
    lines.push('');
  }
  return lines;
}

function timingSection(timing) {
  const rules =
    `A timing run is published only when its calibration passes: the ceiling (\`node:http\` + \`JSON.stringify\`) ` +
    `and bare Express, measured before and after the rounds, both reach ${QUIET_FRACTION * 100} % of this machine's quiet figure ` +
    `(\`bench/results/quiet.json\`), drift by at most ${MAX_DRIFT * 100} % between the two readings, and CPU steal stays ` +
    `at most ${MAX_STEAL} %. A machine without a quiet figure must start idle (1-minute load average at most ` +
    `${IDLE_LOAD_PER_CORE} per core); its first passing run becomes the figure.`;
  if (!timing) {
    return [
      '## Timing',
      '',
      'No timing run has passed its calibration yet, so no time is published here: the runs so far were',
      'made on a shared, busy machine. Run `npm run bench` on a quiet machine to fill this section.',
      '',
      rules,
      '',
    ];
  }
  const { machine, calibration: cal, settings } = timing;
  const lines = [
    '## Timing',
    '',
    rules,
    '',
    `Run of ${timing.date} on ${machine.cpu} × ${machine.cores} cores, ${machine.memoryGB} GB, Node ${machine.node}, commit ${timing.source.commit};`,
    `load average at the start ${machine.loadAverage.join(' ')}. Calibration: ceiling ${fmt(cal.before.ceiling)} / ${fmt(cal.after.ceiling)} req/s and`,
    `bare Express ${fmt(cal.before.bare)} / ${fmt(cal.after.bare)} req/s before / after the rounds` +
      `${cal.quiet ? ` (quiet figure: ${fmt(cal.quiet.ceiling)} and ${fmt(cal.quiet.bare)}, from ${cal.quiet.runs} run(s))` : ' (first run on this machine)'}.`,
    `autocannon, ${settings.connections} connections; ${settings.warmup} s warm-up per server, then ${settings.rounds} interleaved rounds of ${settings.seconds} s.`,
    '',
  ];
  for (const group of timing.groups) {
    const def = GROUPS.find((g) => g.id === group.id);
    lines.push(`### ${def.title}`, '', `Ratios against \`${group.baseline}\`; absolute figures are of this run and machine only.`, '');
    lines.push(
      '| variant | CPU × baseline | req/s × baseline | CPU µs/request | req/s | p99 ms |',
      '| --- | ---: | ---: | ---: | ---: | ---: |',
    );
    for (const row of group.rows) {
      const v = timing.variants[row.id];
      lines.push(`| \`${row.id}\` | ${x(row.cost)} | ${x(row.rps)} | ${v.cpu.toFixed(1)} | ${fmt(v.rps.median)} | ${v.p99.toFixed(2)} |`);
    }
    lines.push('');
  }
  if (timing.memory) {
    const m = timing.memory;
    const mb = (b) => (b / 2 ** 20).toFixed(2);
    lines.push(
      '### Memory',
      '',
      `\`requestId()+envelope('vbapi')+errorHandler()\`, ${fmt(m.requests)} requests alternating a 200 B success and a thrown 404 after`,
      `${fmt(m.warmupRequests)} to warm up, two \`gc()\` before each reading: heapUsed ${mb(m.heapUsed.afterWarmup)} → ${mb(m.heapUsed.mid)} → ${mb(m.heapUsed.after)} MB,`,
      `growth ${mb(m.growthBytes)} MB (${m.growthPercent} %): ${m.flat ? '**flat**' : '**not flat**'} (${m.rule}).`,
      '',
    );
  }
  return lines;
}

function renderMarkdown(counts, timing) {
  return [
    '# Performance',
    '',
    '<!-- Generated by `npm run bench` and `npm run bench:instructions` (bench/report.js): do not edit by hand. -->',
    '',
    'What `requestId()`, `envelope()` and `errorHandler()` cost per request, against bare Express 5, the same',
    'work written by hand, strong-error-handler and `JSON.stringify`. Ratios first; absolute figures carry their',
    'date and machine.',
    'How to run the benchmarks, and what each one measures: [bench/README.md](../../bench/README.md).',
    '',
    ...targetsSection(counts, timing),
    ...oneMiddlewareSection(counts),
    ...partsSection(counts),
    ...errorNote(counts),
    ...countsSection(counts),
    ...timingSection(timing),
  ].join('\n');
}

/** Rewrites docs/internals/benchmarks.md from the results files; returns its path. */
function writeDocs() {
  const counts = readJson('bench/results/instructions.json');
  const timing = readJson('bench/results/latest.json');
  fs.writeFileSync(DOC, renderMarkdown(counts, timing?.calibration?.pass ? timing : undefined));
  return DOC;
}

/** The console summary of an instruction count. */
function printInstructions(run) {
  for (const group of GROUPS) {
    const base = run.perRequest[group.baseline];
    const rows = group.members.filter((id) => run.perRequest[id] !== undefined);
    if (!rows.length) continue;
    console.log(`\n${group.title} (× ${group.baseline}${group.target ? `; target ${group.target.text}` : ''})`);
    for (const id of rows)
      console.log(`  ${id.padEnd(24)} ${fmt(run.perRequest[id]).padStart(10)}  × ${x(base ? run.perRequest[id] / base : undefined)}`);
  }
  for (const [payload, entry] of Object.entries(run.render)) {
    console.log(`\nrender + serialize, ${payload} (target ≤ ${RENDER_TARGET} × JSON.stringify)`);
    for (const [name, n] of Object.entries(entry))
      console.log(`  ${name.padEnd(24)} ${fmt(n).padStart(10)}  × ${x(entry['JSON.stringify'] ? n / entry['JSON.stringify'] : undefined)}`);
  }
}

if (require.main === module) console.log(`wrote ${path.relative(ROOT, writeDocs())}`);

module.exports = { ROOT, machineInfo, sourceInfo, median, percentile, round, writeDocs, printInstructions };
