// Samples of a run → the numbers reported: medians per variant, ratios per group, targets met or not.
'use strict';

const { median, round } = require('./stats');

function summarizeVariant(variant, samples) {
  const rps = samples.map((s) => s.rps);
  return {
    label: variant.label,
    short: variant.short,
    role: variant.role,
    status: variant.status,
    rps: { median: round(median(rps)), min: round(Math.min(...rps)), max: round(Math.max(...rps)), rounds: rps.map((v) => round(v)) },
    // Server CPU microseconds per request (user + system), median over the rounds.
    cpu: { median: round(median(samples.map((s) => s.cpuPerRequest)), 1), rounds: samples.map((s) => round(s.cpuPerRequest, 1)) },
    p50: round(median(samples.map((s) => s.p50)), 2),
    p99: round(median(samples.map((s) => s.p99)), 2),
    // Responses with another status than expected, socket errors and timeouts, over all rounds.
    anomalies: samples.reduce((sum, s) => sum + s.anomalies, 0),
  };
}

/** How noisy the run was: CPU steal during the samples, and the spread of each variant's rounds. */
function noise(samples) {
  const steals = [];
  const spreads = [];
  for (const list of samples.values()) {
    for (const s of list) if (s.steal !== undefined) steals.push(s.steal);
    const rps = list.map((s) => s.rps);
    if (rps.length > 1) spreads.push((Math.max(...rps) - Math.min(...rps)) / median(rps));
  }
  return {
    stealPercent: steals.length ? { median: round(median(steals), 1), max: round(Math.max(...steals), 1) } : undefined,
    // (max − min) / median of a variant's req/s over the rounds, the median over the variants.
    roundSpreadPercent: spreads.length ? round(median(spreads) * 100, 1) : undefined,
  };
}

/** Median over the rounds of the per-round ratio: the pairing that interleaving makes fair. */
function pairedRatio(samples, a, b) {
  const ratios = samples.get(a).map((s, i) => s.rps / samples.get(b)[i].rps);
  return { median: round(median(ratios), 3), min: round(Math.min(...ratios), 3), max: round(Math.max(...ratios), 3) };
}

/** The same for CPU per request, inverted so that above 1 means "a" costs less than "b". */
function pairedCpuRatio(samples, a, b) {
  const ratios = samples.get(a).map((s, i) => samples.get(b)[i].cpuPerRequest / s.cpuPerRequest);
  return { median: round(median(ratios), 3), min: round(Math.min(...ratios), 3), max: round(Math.max(...ratios), 3) };
}

/**
 * @param samples Map of variant id → one sample per round (bench/drive.js).
 * @returns `{ variants, groups, targets }` for the results file.
 */
function summarize(samples, variants, groups) {
  const summary = {};
  for (const variant of variants) if (samples.has(variant.id)) summary[variant.id] = summarizeVariant(variant, samples.get(variant.id));
  const ratio = (a, b) => round(summary[a].rps.median / summary[b].rps.median, 3);
  // Throughput-equivalent from CPU: b's CPU per request over a's (above 1: a is cheaper).
  const cpuRatio = (a, b) => round(summary[b].cpu.median / summary[a].cpu.median, 3);

  const groupRows = [];
  const targets = [];
  for (const group of groups) {
    if (!summary[group.baseline]) continue;
    const reference = group.reference && summary[group.reference] ? group.reference : undefined;
    const rows = group.members
      .filter((id) => summary[id])
      .map((id) => {
        const row = { id, vsBaseline: ratio(id, group.baseline), cpuVsBaseline: cpuRatio(id, group.baseline) };
        if (reference) {
          row.vsReference = ratio(id, reference);
          row.cpuVsReference = cpuRatio(id, reference);
        }
        return row;
      });
    groupRows.push({ id: group.id, title: group.title, baseline: group.baseline, baselineShort: group.baselineShort, reference, rows });
    const target = group.target;
    if (!target) continue;
    const against = target.against === 'reference' ? reference : group.baseline;
    if (!against) continue;
    for (const id of target.of.filter((v) => summary[v])) {
      // Judged on server CPU per request (what a CPU-bound server's throughput follows), with the
      // req/s ratio beside it; docs/performance.md says how far either can be trusted here.
      const value = cpuRatio(id, against);
      targets.push({
        group: group.id,
        variant: id,
        against,
        min: target.min,
        cpuRatio: value,
        pairedCpu: pairedCpuRatio(samples, id, against),
        ratio: ratio(id, against),
        paired: pairedRatio(samples, id, against),
        met: value >= target.min,
        shortBy: value >= target.min ? 0 : round(target.min - value, 3),
      });
    }
  }
  return { variants: summary, groups: groupRows, targets, noise: noise(samples) };
}

module.exports = { summarize };
