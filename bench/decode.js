// Micro-benchmark of the client's decodeText() against JSON.parse of the same text, for every preset
// (and WisPanel variant) on the 200 B and 10 kB payloads, in interleaved rounds; prints the median
// ratio of each. Target: within 1.3 × JSON.parse when no integer exceeds 2^53.
// A row with an id of 2^63 − 1 shows what the exact path costs when it is needed.
//
//   npm run bench:decode            # or: node bench/decode.js [rounds]
//   node bench/decode.js --instructions   # the same ratios in instructions (valgrind's callgrind),
//                                         # which a busy machine does not move; takes minutes
'use strict';

const { buildSync } = require('esbuild');
const { spawn } = require('node:child_process');
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { PAYLOADS } = require('./variants');
const { median, round } = require('./report');

const ROOT = join(__dirname, '..');

/** The client and the server's formats, bundled from the sources (no build needed). */
function load(outfile) {
  const { outputFiles } = buildSync({
    stdin: {
      contents: [
        "export * from './client/index';",
        "export { resolveFormat } from './lib/registry';",
        "export { serialize } from './lib/serialize';",
      ].join('\n'),
      resolveDir: ROOT,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    write: Boolean(outfile),
    outfile,
  });
  if (outfile) return require(outfile);
  const module = { exports: {} };
  new Function('module', 'exports', 'require', outputFiles[0].text)(module, module.exports, require);
  return module.exports;
}

const PRESETS = [
  ['vbapi'],
  ['backendResponse'],
  ['wispanel', 'panel'],
  ['wispanel', 'license'],
  ['webServiceReturn'],
  ['statusOk'],
  ['jsend'],
  ['problem'],
];

let sink = 0;

function time(fn, n) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) sink += fn() === undefined ? 0 : 1;
  return Number(process.hrtime.bigint() - start) / n;
}

function calibrate(fn, ms) {
  let n = 16;
  for (;;) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) sink += fn() === undefined ? 0 : 1;
    const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
    if (elapsed >= ms / 4 || n >= 1 << 22) return Math.max(1, Math.round((n * ms) / Math.max(elapsed, 0.001)));
    n *= 4;
  }
}

function cases(lib) {
  const ctx = { requestId: '3f0c9a6e-6a57-4d8e-9f51-1c2b7d9e0a11', instance: '/clients', debug: false };
  const headers = { 'content-type': 'application/json; charset=utf-8', 'x-request-id': ctx.requestId };
  const list = [];
  const add = (preset, variant, payloadName, data) => {
    const options = variant ? { variant } : {};
    const rendered = lib.resolveFormat(preset, options).render({ kind: 'success', status: 200, data }, ctx);
    const text = lib.serialize(rendered.body);
    const decodeOptions = variant ? { variant } : undefined;
    // Checks the case decodes at all before it is timed.
    if (!lib.decodeText(preset, rendered.status, text, headers, decodeOptions).ok) throw new Error(`${preset} did not decode`);
    list.push({
      name: `${variant ? `${preset}:${variant}` : preset} ${payloadName}`,
      bytes: text.length,
      parse: () => JSON.parse(text),
      decode: () => lib.decodeText(preset, rendered.status, text, headers, decodeOptions),
      ratios: [],
    });
  };
  for (const payload of Object.values(PAYLOADS)) {
    for (const [preset, variant] of PRESETS) add(preset, variant, payload.name, payload.value);
  }
  // The exact path, for comparison: the same small payload with a Universa-sized id.
  add('statusOk', undefined, 'small, id 2^63-1', { ...PAYLOADS.small.value, id: 9223372036854775807n });
  return list;
}

/** Under valgrind: runs one case's function `n` times and exits. */
function child(bundle, index, mode, n) {
  const c = cases(require(bundle))[index];
  const fn = c[mode];
  for (let i = 0; i < n; i++) sink += fn() === undefined ? 0 : 1;
}

/** Instructions of `node bench/decode.js --child …` under callgrind. */
function count(bundle, index, mode, n) {
  return new Promise((resolve, reject) => {
    const args = [
      '--tool=callgrind',
      '--callgrind-out-file=/dev/null',
      process.execPath,
      join(__dirname, 'decode.js'),
      '--child',
      bundle,
      String(index),
      mode,
      String(n),
    ];
    const proc = spawn('valgrind', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    proc.stderr.on('data', (chunk) => (err += chunk));
    proc.on('error', reject);
    proc.on('exit', (code) => {
      const match = /Collected : (\d+)/.exec(err);
      if (code !== 0 || !match) reject(new Error(`valgrind exited with ${code}\n${err.slice(-1500)}`));
      else resolve(Number(match[1]));
    });
  });
}

/** Per call, the difference between a long and a short run, so start-up and JIT compiling cancel out. */
async function instructions() {
  const dir = mkdtempSync(join(tmpdir(), 'bench-decode-'));
  const bundle = join(dir, 'bundle.cjs');
  try {
    const list = cases(load(bundle));
    console.log(`decodeText vs JSON.parse in instructions per call (callgrind, node ${process.version})`);
    console.log(`${'case'.padEnd(34)}${'parse'.padStart(10)}${'decode'.padStart(10)}${'ratio'.padStart(8)}`);
    let worst = 0;
    for (const [index, c] of list.entries()) {
      const [from, to] = c.bytes > 2000 ? [2000, 7000] : [30000, 130000];
      const per = async (mode) => ((await count(bundle, index, mode, to)) - (await count(bundle, index, mode, from))) / (to - from);
      const [parse, decode] = await Promise.all([per('parse'), per('decode')]);
      const ratio = decode / parse;
      if (!c.name.includes('2^63')) worst = Math.max(worst, ratio);
      console.log(
        `${c.name.padEnd(34)}${String(round(parse)).padStart(10)}${String(round(decode)).padStart(10)}${ratio.toFixed(2).padStart(8)}`,
      );
    }
    console.log(`worst ratio without big integers: ${worst.toFixed(2)} (target 1.30)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function main() {
  if (process.argv[2] === '--child') return child(process.argv[3], Number(process.argv[4]), process.argv[5], Number(process.argv[6]));
  if (process.argv[2] === '--instructions') {
    return instructions().catch((error) => {
      console.error(error);
      process.exitCode = 1;
    });
  }
  const rounds = Number(process.argv[2] || 7);
  const lib = load();
  const list = cases(lib);
  for (const c of list) {
    c.n = calibrate(c.parse, 20);
    time(c.decode, c.n); // warm-up
  }
  for (let r = 0; r < rounds; r++) {
    for (const c of list) {
      // Alternate the order inside each pair, so drift favours neither side.
      const first = r % 2 === 0;
      const a = first ? time(c.parse, c.n) : 0;
      const decode = time(c.decode, c.n);
      const parse = first ? a : time(c.parse, c.n);
      c.ratios.push(decode / parse);
      c.parseNs = parse;
      c.decodeNs = decode;
    }
  }
  console.log(`decodeText vs JSON.parse, median of ${rounds} interleaved rounds (node ${process.version})`);
  console.log(`${'case'.padEnd(34)}${'bytes'.padStart(7)}${'parse ns'.padStart(11)}${'decode ns'.padStart(11)}${'ratio'.padStart(8)}`);
  for (const c of list) {
    console.log(
      `${c.name.padEnd(34)}${String(c.bytes).padStart(7)}${String(round(c.parseNs)).padStart(11)}${String(round(c.decodeNs)).padStart(11)}${round(median(c.ratios), 2).toFixed(2).padStart(8)}`,
    );
  }
  const plain = list.filter((c) => !c.name.includes('2^63'));
  const worst = Math.max(...plain.map((c) => median(c.ratios)));
  console.log(`worst ratio without big integers: ${worst.toFixed(2)} (target 1.30)`);
  if (sink === -1) console.log(sink);
}

main();
