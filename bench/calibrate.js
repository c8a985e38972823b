// Calibration: is the machine quiet enough for a timing run to be published?
//
// A run measures the ceiling (node:http + JSON.stringify) and bare Express before and after its
// rounds, and records the machine (cores, load average, CPU steal). It is published only when
// both readings reach QUIET_FRACTION of the machine's recent quiet figure (bench/results/quiet.json:
// the median of its last passing runs), steal stays low, and the two readings agree. On a machine
// with no quiet figure yet, the first run must start on an idle machine (load average) and agree
// with itself; it then becomes the quiet figure.
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { ROOT } = require('./machine');
const { load } = require('./drive');
const { median, round } = require('./stats');

const QUIET_FILE = path.join(ROOT, 'bench/results/quiet.json');
/** A run below this fraction of the quiet figure is disturbed. */
const QUIET_FRACTION = 0.85;
/** The most CPU steal (percent) a published run may have seen. */
const MAX_STEAL = 5;
/** Before and after the rounds, the readings may differ by at most this fraction. */
const MAX_DRIFT = 0.15;
/** Without a quiet figure: the 1-minute load average per core before the run, at most. */
const IDLE_LOAD_PER_CORE = 0.35;
/** Passing runs kept per machine; their median is the quiet figure. */
const KEEP = 5;

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
    for (const [name, server] of [['ceiling', ceiling], ['bare', bare]]) {
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

module.exports = { snapshot, measure, judge, recordQuiet, quietFigure, QUIET_FRACTION, MAX_STEAL, MAX_DRIFT, IDLE_LOAD_PER_CORE };
