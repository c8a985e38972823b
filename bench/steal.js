// CPU steal time (a virtual machine's cores taken by its host), read from /proc/stat on Linux: the
// main source of noise on a shared VM, so each sample records how much of it there was.
'use strict';

const fs = require('node:fs');

/** The machine's cumulative CPU ticks: `{ steal, total }`, or undefined where /proc/stat is absent. */
function cpuTicks() {
  let text;
  try {
    text = fs.readFileSync('/proc/stat', 'utf8');
  } catch {
    return undefined;
  }
  // cpu  user nice system idle iowait irq softirq steal guest guest_nice
  const fields = text.slice(0, text.indexOf('\n')).trim().split(/\s+/).slice(1, 9).map(Number);
  return { steal: fields[7] || 0, total: fields.reduce((a, b) => a + b, 0) };
}

/** Percent of CPU time stolen between two cpuTicks() readings. */
function stealPercent(before, after) {
  if (!before || !after || after.total <= before.total) return undefined;
  return ((after.steal - before.steal) / (after.total - before.total)) * 100;
}

module.exports = { cpuTicks, stealPercent };
