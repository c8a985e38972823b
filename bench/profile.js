// CPU profile of one variant's server under load: starts it with --cpu-prof, warms it up, drives it
// for a few seconds, lets it exit so the profile is written, and prints the top self-time functions
// and the hottest lines of the package's build.
//
//   npm run build && node bench/profile.js <variant-id> [seconds=5] [count=25]
//   e.g. node bench/profile.js small/vbapi 5
// The profile goes to bench/results/tmp/ (not committed).
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { installCleanup, startServer, stopServer } = require('./children');
const { load } = require('./drive');
const { selfTimes, printTop, lineTimes, printLines } = require('./cpuprofile-top');
const { VARIANTS } = require('./variants');

async function main() {
  const [id, seconds = '5', count = '25'] = process.argv.slice(2);
  const variant = VARIANTS.find((v) => v.id === id);
  if (!variant) {
    console.error(`usage: node bench/profile.js <variant-id> [seconds] [count]\nvariants: ${VARIANTS.map((v) => v.id).join(' ')}`);
    process.exit(2);
  }
  installCleanup();
  const dir = path.join(__dirname, 'results/tmp');
  fs.mkdirSync(dir, { recursive: true });
  const name = `${id.replace(/\W+/g, '-')}-${Date.now()}.cpuprofile`;
  const server = await startServer(id, { execArgv: ['--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-name', name] });
  const connections = Number(process.env.BENCH_CONNECTIONS) || 50;
  await load(server.url, { connections, seconds: 2, latencies: false });
  const sample = await load(server.url, { connections, seconds: Number(seconds) });
  await stopServer(server);
  const file = path.join(dir, name);
  console.log(`${id}: ${Math.round(sample.rps)} req/s, p99 ${sample.p99.toFixed(2)} ms under the profiler (warm-up included in the profile)`);
  console.log(`profile: ${path.relative(process.cwd(), file)}\ntop functions by self time:`);
  const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
  printTop(selfTimes(profile), Number(count));
  console.log('\nhottest lines of dist/cjs (self time):');
  printLines(lineTimes(profile));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
