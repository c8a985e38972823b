// Writes docs/internals/benchmarks.md from the last instruction count (bench/results/instructions.json)
// and the last timing run that passed its calibration (bench/results/latest.json): `node bench/report.js`
// rewrites it from those two files alone. Also what both runners share: the machine, the commit, statistics.
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { CALIBRATION, FORMATS, GROUPS, RENDER_TARGET, VARIANTS } = require('./variants');

const ROOT = path.join(__dirname, '..');
const DOC = path.join(ROOT, 'docs/internals/benchmarks.md');

function machineInfo() {
  const cpus = os.cpus();
  return {
    cpu: cpus.length ? cpus[0].model.trim() : 'unknown',
    cores: os.availableParallelism(),
    memoryGB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    v8: process.versions.v8,
  };
}

const SOURCES = ['lib', 'response', 'middleware', 'client', 'index.ts'];
const git = (...args) => {
  const result = spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : undefined;
};

/** The commit measured, and whether the sources differed from it. */
function sourceInfo() {
  const { name, version } = require('../package.json');
  const changed = git('status', '--porcelain', '--', ...SOURCES);
  return {
    name,
    version,
    commit: git('rev-parse', '--short', 'HEAD'),
    uncommittedSourceChanges: changed === undefined ? undefined : changed !== '',
  };
}

/** The p-th percentile (nearest rank; the median of an even count averages the middle two). */
function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  if (p === 50 && sorted.length % 2 === 0) return (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length))) - 1];
}
const median = (values) => percentile(values, 50);
const round = (value, digits = 0) => Math.round(value * 10 ** digits) / 10 ** digits;

const fmt = (n) => (n === undefined ? '—' : Math.round(n).toLocaleString('en-US'));
const x = (r) => (r === undefined || !Number.isFinite(r) ? '—' : r.toFixed(3));
const ratio = (a, b) => (a !== undefined && b ? a / b : undefined);

/** Judged by instructions where counted, else by time; counts the verdict into `tally`. */
function verdict(tally, byInstructions, byTime, max) {
  const [value, by] = byInstructions !== undefined ? [byInstructions, ''] : [byTime, ' (by time)'];
  if (!Number.isFinite(value)) return '—';
  tally.measured++;
  if (value > max) return `**no**, ${((value / max - 1) * 100).toFixed(1)} % over${by}`;
  tally.met++;
  return `yes${by}`;
}

/** The tables of a count and a timing run (either may be undefined), and how many targets they meet. */
function tables(counts, timing) {
  const tally = { met: 0, measured: 0 };
  const n = counts?.perRequest ?? {};
  const t = timing?.variants ?? {};
  const lines = [];
  for (const g of GROUPS) {
    const rows = g.members.filter((id) => n[id] !== undefined || t[id] !== undefined);
    if (!rows.length) continue;
    lines.push(`## ${g.title}`, '', `Against \`${g.baseline}\`${g.target ? `; target ${g.target.text}` : ''}.`, '');
    lines.push(
      `| variant | what | instructions / request${g.steps ? ' (+ this step)' : ''} | × | CPU µs / request | × | req/s | p99 ms |${g.target ? ' met |' : ''}`,
      `| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |${g.target ? ' --- |' : ''}`,
    );
    let previous;
    for (const id of rows) {
      const [i, c] = [ratio(n[id], n[g.baseline]), ratio(t[id]?.cpu, t[g.baseline]?.cpu)];
      const step = g.steps && previous !== undefined && n[id] !== undefined ? ` (+${fmt(n[id] - previous)})` : '';
      previous = n[id] ?? previous;
      const what = VARIANTS.find((v) => v.id === id).label.replace(/\|/g, '\\|');
      const cells = [
        `\`${id}\``,
        what,
        fmt(n[id]) + step,
        x(i),
        t[id]?.cpu.toFixed(1) ?? '—',
        x(c),
        fmt(t[id]?.rps.median),
        t[id]?.p99.toFixed(2) ?? '—',
      ];
      if (g.target) cells.push(g.target.of.includes(id) ? verdict(tally, i, c, g.target.max) : '');
      lines.push(`| ${cells.join(' | ')} |`);
    }
    const [strong, floor] = [n['error/strong-error-handler'], n['error/floor']];
    if (g.id === 'error' && strong && floor) {
      const needed = strong * g.target.max;
      lines.push(
        '',
        `\`error/floor\` is the least any handler can do once Express has caught the error (status, empty body): ${x(floor / strong)} ×`,
        `strong-error-handler. The target means at most ${fmt(needed)} instructions per request, ` +
          (needed < floor
            ? `${fmt(floor - needed)} below the floor: no handler can meet it on this path.`
            : `${fmt(needed - floor)} above the floor.`),
      );
    }
    lines.push('');
  }
  const render = counts?.render ?? {};
  const micro = timing?.micro?.results ?? {};
  const payloads = [...new Set([...Object.keys(render), ...Object.keys(micro)])];
  if (payloads.length) {
    lines.push(
      '## Render + serialize',
      '',
      "What the engine does to make a body's text (`renderText()` in `lib/fast-text.ts`), per operation, against",
      `\`JSON.stringify(payload)\`; target ≤ ${RENDER_TARGET} ×.`,
      '',
      '| case | instructions / operation | × | ns / operation | × | met |',
      '| --- | ---: | ---: | ---: | ---: | --- |',
    );
    for (const p of payloads) {
      for (const name of ['JSON.stringify', ...FORMATS.map((f) => f.id)]) {
        if (render[p]?.[name] === undefined && micro[p]?.ns[name] === undefined) continue;
        const [i, c] = [ratio(render[p]?.[name], render[p]?.['JSON.stringify']), micro[p]?.ratio[name]];
        const met = name === 'JSON.stringify' ? '' : verdict(tally, i, c, RENDER_TARGET);
        lines.push(`| \`render/${p}/${name}\` | ${fmt(render[p]?.[name])} | ${x(i)} | ${fmt(micro[p]?.ns[name])} | ${x(c)} | ${met} |`);
      }
    }
    lines.push('');
  }
  const m = timing?.memory;
  if (m) {
    const mb = (b) => (b / 2 ** 20).toFixed(2);
    lines.push(
      '## Memory',
      '',
      `\`requestId()+envelope('vbapi')+errorHandler()\`, ${fmt(m.requests)} requests alternating a 200 B success and a thrown 404 after`,
      `${fmt(m.warmupRequests)} to warm up, two \`gc()\` before each reading: heapUsed ${mb(m.heapUsed.afterWarmup)} → ${mb(m.heapUsed.mid)} → ${mb(m.heapUsed.after)} MB,`,
      `growth ${mb(m.growthBytes)} MB (${m.growthPercent} %): ${m.flat ? '**flat**' : '**not flat**'} (${m.rule}).`,
      '',
    );
  }
  return { lines, tally };
}

function page(counts, timing, older) {
  const { QUIET_FRACTION, MAX_STEAL, MAX_DRIFT, IDLE_LOAD_PER_CORE } = CALIBRATION;
  const { lines, tally } = tables(counts, timing);
  const ops = counts?.renderOperations;
  const c = counts && [
    `**Instructions**, the figure of record: \`npm run bench:instructions\` on ${counts.date.slice(0, 10)} (commit ${counts.source.commit},`,
    `Node ${counts.machine.node}, ${counts.machine.cpu}). Valgrind (callgrind) over requests ${counts.requests.from + 1}–${counts.requests.to} of each variant,`,
    'in-process (no sockets, no load generator), after a full GC; Node with fixed hash and random seeds, the',
    "optimizing compiler and the GC on the main thread. The own instructions of V8's compilers are left out (the JIT",
    'is still at work this early and would swamp the differences; `bench/results/instructions.json` keeps them).',
    `Render cases count operations ${ops.small[0] + 1}–${ops.small[1]} (200 B) and ${ops.list[0] + 1}–${ops.list[1]} (10 kB) the same way. On a loaded`,
    'machine the same variant has counted up to 10 % more: compare the variants of one run, as the ratios do.',
    ...(counts.renderFrom
      ? [
          `This run counted requests only; the render counts are those of ${counts.renderFrom.date.slice(0, 10)} (commit ${counts.renderFrom.commit}).`,
        ]
      : []),
    ...(counts.concurrentRuns > 1
      ? [`The requests were counted in ${counts.concurrentRuns} runs side by side on the same commit and a loaded machine.`]
      : []),
  ];
  const rule =
    `published only when its calibration passes: the ceiling (\`node:http\` + \`JSON.stringify\`) and bare Express, measured ` +
    `before and after the rounds, both reach ${QUIET_FRACTION * 100} % of the machine's quiet figure (\`bench/results/quiet.json\`) and drift ` +
    `by at most ${MAX_DRIFT * 100} %, and CPU steal stays at most ${MAX_STEAL} %; a machine without a quiet figure must start idle ` +
    `(1-minute load average at most ${IDLE_LOAD_PER_CORE} per core).`;
  const { machine: mc, calibration: cal, settings: s } = timing ?? {};
  const time = timing
    ? [
        `**Time**: \`npm run bench\`, ${rule} Run of ${timing.date} on ${mc.cpu} × ${mc.cores} cores, ${mc.memoryGB} GB, Node ${mc.node},`,
        `commit ${timing.source.commit}, load average ${mc.loadAverage.join(' ')} at the start; calibration: ceiling ${fmt(cal.before.ceiling)} / ${fmt(cal.after.ceiling)}`,
        `and bare Express ${fmt(cal.before.bare)} / ${fmt(cal.after.bare)} req/s before / after` +
          `${cal.quiet ? ` (quiet figure ${fmt(cal.quiet.ceiling)} / ${fmt(cal.quiet.bare)})` : ' (first run on this machine)'}. ` +
          `autocannon, ${s.connections} connections, ${s.warmup} s warm-up per server, ${s.rounds} interleaved rounds of ${s.seconds} s; CPU is the server's per request.`,
      ]
    : older?.calibration?.pass
      ? [
          `**Time**: \`npm run bench\`, ${rule} No run of this code has passed it; the last that did, of ${older.date.slice(0, 10)}`,
          `(commit ${older.source.commit}), timed an earlier version and is not shown beside these counts (\`bench/results/latest.json\`).`,
        ]
      : [`**Time**: \`npm run bench\`, ${rule} No run has passed yet.`];
  return [
    '# Performance',
    '',
    '<!-- Generated by `npm run bench` and `npm run bench:instructions` (bench/report.js): do not edit by hand. -->',
    '',
    'What `requestId()`, `envelope()` and `errorHandler()` cost per request, against bare Express 5, the same',
    'work written by hand, strong-error-handler and `JSON.stringify`. × is a cost ratio against the baseline',
    '(below 1 costs less); absolute figures are of their run and machine only. How to run the benchmarks:',
    '[bench/README.md](../../bench/README.md).',
    '',
    ...(c ?? ['**Instructions**: no count yet (`npm run bench:instructions`).']),
    '',
    ...time,
    '',
    `${tally.met} of ${tally.measured} measured targets met.`,
    '',
    ...lines,
  ].join('\n');
}

/** Rewrites docs/internals/benchmarks.md from the results files; returns its path. */
function writeDocs() {
  const read = (file) => (fs.existsSync(path.join(ROOT, file)) ? JSON.parse(fs.readFileSync(path.join(ROOT, file), 'utf8')) : undefined);
  const counts = read('bench/results/instructions.json');
  const timing = read('bench/results/latest.json');
  // A time run is shown beside the counts only when it timed the same code: a page never mixes versions.
  const same = (a, b) =>
    a?.commit !== undefined && b?.commit !== undefined && git('diff', '--quiet', a.commit, b.commit, '--', ...SOURCES) === '';
  const shown = timing?.calibration?.pass && (!counts || same(counts.source, timing.source)) ? timing : undefined;
  fs.writeFileSync(DOC, page(counts, shown, shown === timing ? undefined : timing));
  return DOC;
}

if (require.main === module) console.log(`wrote ${path.relative(ROOT, writeDocs())}`);

module.exports = { ROOT, machineInfo, sourceInfo, median, percentile, round, tables, writeDocs };
