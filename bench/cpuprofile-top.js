// Sums the self time of a V8 .cpuprofile by function (name and location) and prints the top ones;
// then the hottest source lines of the package's own build (dist/cjs), from the profile's line ticks.
//
//   node bench/cpuprofile-top.js <file.cpuprofile> [count]
'use strict';

const fs = require('node:fs');
const path = require('node:path');

/** Self time (µs) per function, from the profile's nodes, samples and timeDeltas. */
function selfTimes(profile) {
  const byNode = new Map(profile.nodes.map((node) => [node.id, node]));
  const totals = new Map();
  const { samples, timeDeltas } = profile;
  for (let i = 0; i < samples.length; i++) {
    // A sample lasts until the next one (DevTools' convention); the last one until endTime.
    const next = i + 1 < samples.length ? timeDeltas[i + 1] : Math.max(0, profile.endTime - profile.startTime - sum(timeDeltas));
    const frame = byNode.get(samples[i]).callFrame;
    const key = describe(frame);
    totals.set(key, (totals.get(key) || 0) + Math.max(0, next));
  }
  const total = [...totals.values()].reduce((a, b) => a + b, 0);
  return [...totals.entries()]
    .map(([name, us]) => ({ name, ms: us / 1000, percent: (us / total) * 100 }))
    .sort((a, b) => b.ms - a.ms);
}

function sum(values) {
  let total = 0;
  for (const v of values) total += v;
  return total;
}

function describe({ functionName, url, lineNumber }) {
  const name = functionName || '(anonymous)';
  if (!url) return name;
  const file = url.replace(/^file:\/\//, '');
  const short = file.includes('node_modules/') ? file.slice(file.lastIndexOf('node_modules/') + 13) : path.relative(process.cwd(), file);
  return `${name}  ${short}:${lineNumber + 1}`;
}

function printTop(rows, count = 25) {
  for (const row of rows.slice(0, count)) {
    console.log(`${row.ms.toFixed(1).padStart(9)} ms ${row.percent.toFixed(1).padStart(5)} %  ${row.name}`);
  }
}

/**
 * Self time per source line of the files whose URL contains `filter`, from `positionTicks`
 * (samples × the mean sampling interval), with the line's text when the file is readable.
 */
function lineTimes(profile, filter = 'dist/cjs/') {
  const interval = (profile.endTime - profile.startTime) / profile.samples.length / 1000;
  const ticks = new Map();
  for (const node of profile.nodes) {
    const { url, functionName } = node.callFrame;
    if (!url.includes(filter) || !node.positionTicks) continue;
    for (const { line, ticks: n } of node.positionTicks) {
      const key = `${url}\0${line}\0${functionName || '(anonymous)'}`;
      ticks.set(key, (ticks.get(key) || 0) + n);
    }
  }
  const sources = new Map();
  const text = (url, line) => {
    if (!sources.has(url)) {
      try {
        sources.set(url, fs.readFileSync(url.replace(/^file:\/\//, ''), 'utf8').split('\n'));
      } catch {
        sources.set(url, []);
      }
    }
    return (sources.get(url)[line - 1] || '').trim();
  };
  return [...ticks.entries()]
    .map(([key, n]) => {
      const [url, line, name] = key.split('\0');
      const file = url.slice(url.indexOf(filter) + filter.length);
      return { where: `${file}:${line} ${name}`, ms: n * interval, code: text(url, Number(line)) };
    })
    .sort((a, b) => b.ms - a.ms);
}

function printLines(rows, count = 15) {
  for (const row of rows.slice(0, count)) console.log(`${row.ms.toFixed(1).padStart(9)} ms  ${row.where.padEnd(44)} ${row.code.slice(0, 80)}`);
}

if (require.main === module) {
  const [file, count] = process.argv.slice(2);
  if (!file) {
    console.error('usage: node bench/cpuprofile-top.js <file.cpuprofile> [count]');
    process.exit(2);
  }
  const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
  printTop(selfTimes(profile), Number(count) || 25);
  console.log('\nhottest lines of dist/cjs:');
  printLines(lineTimes(profile));
}

module.exports = { selfTimes, printTop, lineTimes, printLines };
