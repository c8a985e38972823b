// A timing run's samples → the numbers reported: medians per variant, cost ratios per group, targets.
'use strict';

const { median, round } = require('./stats');

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
 * @param samples Map of variant id → one sample per round (bench/drive.js).
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
    for (const row of rows) if (group.target?.of.includes(row.id)) out.targets.push({ variant: row.id, against: group.baseline, max: group.target.max, cost: row.cost, met: row.cost <= group.target.max });
  }
  const steals = [...samples.values()].flat().map((s) => s.steal).filter((s) => s !== undefined);
  out.noise = { stealPercent: steals.length ? { median: round(median(steals), 1), max: round(Math.max(...steals), 1) } : undefined };
  return out;
}

module.exports = { summarize };
