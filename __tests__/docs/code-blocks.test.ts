// Every code block of README.md and docs/ as a user pastes it, against the packed tarball: each
// ```ts block compiled under --strict with module nodenext, in an ES module project and in a
// CommonJS one (`// given: esm` keeps a block to the first); each ```js block run by Node. A block
// may assume a few lines it declares visibly on its first line (`// given: app`, `// given: handler`;
// see docs/internals/testing.md). A failure names the page and the line.

import { spawn } from 'node:child_process';
import { access, mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { type Block, GIVENS, ROOT, blocksOf, expand, isEsm, packagesOf, pages, presetOf } from './code-blocks';

jest.setTimeout(600_000);

const NAME = 'express-envelope';

/** What every project gets besides the packages the blocks name. */
const BASE_LINKS = [
  'express',
  'http-errors',
  '@types/express',
  '@types/express-serve-static-core',
  '@types/http-errors',
  '@types/node',
  'undici-types',
];

interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function run(command: string, args: readonly string[], cwd: string, killAfterMs = 300_000): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, NODE_ENV: 'production' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    // Only a hung child ever meets this; a block is expected to end at once.
    const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

async function mustRun(command: string, args: readonly string[], cwd: string): Promise<string> {
  const result = await run(command, args, cwd);
  if (result.code !== 0) throw new Error(`\`${[command, ...args].join(' ')}\` exited with ${result.code ?? result.signal}\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

const BLOCKS: Block[] = pages().flatMap(blocksOf);
const TS_BLOCKS = BLOCKS.filter((block) => block.lang === 'ts');
const JS_BLOCKS = BLOCKS.filter((block) => block.lang === 'js');
const where = (block: Block): string => `${block.file}:${block.line}`;

// Runs one js block: loads it, answers GET / once when it is a `handler` block, closes what it
// opened and prints a one-line report. app.listen(port) listens on 127.0.0.1 at a free port instead.
const RUNNER = `'use strict';
const http = require('node:http');
const { pathToFileURL } = require('node:url');
const servers = new Set();
const listen = http.Server.prototype.listen;
http.Server.prototype.listen = function (...args) {
  servers.add(this);
  const callback = args.find((arg) => typeof arg === 'function');
  return listen.call(this, 0, '127.0.0.1', callback);
};
const fail = (error) => {
  process.stdout.write('\\n@@report ' + JSON.stringify({ ok: false, error: String(error && error.stack || error) }));
  process.exit(1);
};
process.on('uncaughtException', fail);
process.on('unhandledRejection', fail);
(async () => {
  const [file, handler] = process.argv.slice(2);
  const mod = file.endsWith('.mjs') ? await import(pathToFileURL(file).href) : require(require('node:path').resolve(file));
  let status;
  if (handler === 'handler') {
    const app = mod.app;
    const seen = [];
    app.use((err, req, res, next) => {
      seen.push(err);
      if (res.headersSent) return next(err);
      res.status(500).end();
    });
    const server = http.createServer(app);
    await new Promise((resolve, reject) => { server.once('error', reject); listen.call(server, 0, '127.0.0.1', resolve); });
    try {
      const res = await fetch('http://127.0.0.1:' + server.address().port + '/');
      status = res.status;
      await res.text();
    } finally {
      server.closeAllConnections();
      server.close();
    }
    // A thrown Error is what many blocks show; a mistake in the block is not.
    const broken = seen.find((err) => err instanceof ReferenceError || err instanceof TypeError || err instanceof SyntaxError || /^ERR_ENVELOPE_/.test(String(err && err.code)));
    if (broken) fail(broken);
  }
  await new Promise((resolve) => setImmediate(resolve));
  for (const server of servers) {
    if (server.closeAllConnections) server.closeAllConnections();
    server.close();
  }
  process.stdout.write('\\n@@report ' + JSON.stringify({ ok: true, status }));
  process.exit(0);
})().catch(fail);
`;

let work: string;
let exportsOf: { values: string[]; types: string[] };
const tsErrors = new Map<string, string[]>();

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), `${NAME}-docs-`));
  const packDir = join(work, 'pack');
  await mkdir(packDir);
  await mustRun('npm', ['pack', '--pack-destination', packDir], ROOT);
  const [tarball] = (await readdir(packDir)).filter((file) => file.endsWith('.tgz'));
  const modules = join(work, 'node_modules');
  await mkdir(join(modules, NAME), { recursive: true });
  await mustRun('tar', ['-xzf', join(packDir, tarball), '-C', join(modules, NAME), '--strip-components=1'], work);
  const manifest = JSON.parse(await readFile(join(modules, NAME, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };

  // The packages the blocks name, and their types where the repository has them.
  const wanted = new Set([...Object.keys(manifest.dependencies ?? {}), ...BASE_LINKS, ...BLOCKS.flatMap((block) => packagesOf(block.code))]);
  wanted.delete(NAME);
  for (const name of [...wanted]) if (!name.startsWith('@types/')) wanted.add(`@types/${name.replace(/^@([^/]+)\//, '$1__')}`);
  for (const name of wanted) {
    const target = join(ROOT, 'node_modules', name);
    const present = await access(target).then(
      () => true,
      () => false,
    );
    if (!present) continue; // a block naming a package nobody installed fails on it, at its line
    const link = join(modules, name);
    await mkdir(dirname(link), { recursive: true });
    await symlink(target, link, 'junction');
  }

  // The package's exports, runtime and types, for the `app` given.
  const wrapper = await readFile(join(modules, NAME, 'dist', 'esm', 'index.mjs'), 'utf8');
  const values = [...wrapper.matchAll(/^ {2}(\w+),$/gm)].map((match) => match[1]);
  const dts = await readFile(join(ROOT, 'index.ts'), 'utf8');
  const types = [...dts.matchAll(/export type \{([^}]+)\}/g)].flatMap((match) => match[1].split(',').map((name) => name.trim()).filter(Boolean));
  exportsOf = { values, types };

  // TypeScript: one project per module system, every block a file of it.
  for (const module of ['esm', 'cjs'] as const) {
    const dir = join(work, `ts-${module}`);
    await mkdir(join(dir, 'blocks'), { recursive: true });
    await writeFile(join(dir, 'package.json'), JSON.stringify({ private: true, type: module === 'esm' ? 'module' : 'commonjs' }));
    const files: string[] = [];
    const offsets = new Map<string, { block: Block; offset: number }>();
    const sources = new Map<string, string>();
    TS_BLOCKS.forEach((block, i) => {
      if (module === 'cjs' && block.given.has('esm')) return;
      const { source, offset } = expand(block, exportsOf, module);
      const name = `blocks/b${i}.ts`;
      files.push(name);
      offsets.set(name, { block, offset });
      sources.set(name, source);
    });
    await Promise.all(files.map((name) => writeFile(join(dir, name), sources.get(name)!)));
    const compilerOptions = {
      strict: true,
      module: 'nodenext',
      moduleResolution: 'nodenext',
      target: 'ES2022',
      lib: ['ES2022', 'DOM'],
      types: ['node'],
      noEmit: true,
      skipLibCheck: true,
      esModuleInterop: true,
    };
    await writeFile(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files }));
    const result = await run(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json', '--pretty', 'false'], dir);
    for (const line of `${result.stdout}${result.stderr}`.split('\n')) {
      const match = /^(blocks\/b\d+\.ts)\((\d+),(\d+)\): (.*)$/.exec(line);
      if (!match) {
        if (line.trim() !== '' && !line.startsWith(' ')) tsErrors.set(`(${module}) ${line}`, [line]);
        continue;
      }
      const { block, offset } = offsets.get(match[1])!;
      const key = where(block);
      const at = `${block.file}:${block.line + Number(match[2]) - 1 - offset}`;
      tsErrors.set(key, [...(tsErrors.get(key) ?? []), `${at} (${module}): ${match[4]}`]);
    }
  }

  const runDir = join(work, 'run');
  await mkdir(runDir);
  await writeFile(join(runDir, 'package.json'), JSON.stringify({ private: true, type: 'commonjs' }));
  await writeFile(join(runDir, 'runner.cjs'), RUNNER);
});

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

test('the pages have blocks to check, with known givens only', () => {
  expect(TS_BLOCKS.length).toBeGreaterThan(5);
  expect(JS_BLOCKS.length).toBeGreaterThan(5);
  const unknown = BLOCKS.filter((block) => [...block.given].some((given) => !GIVENS.includes(given))).map(where);
  expect(unknown).toEqual([]);
});

test('tsc met no error outside the blocks', () => {
  expect([...tsErrors.keys()].filter((key) => key.startsWith('('))).toEqual([]);
});

describe.each(TS_BLOCKS.map((block) => [where(block), block] as const))('ts block %s', (at) => {
  test('compiles under --strict, nodenext, as an ES module and as CommonJS', () => {
    expect(tsErrors.get(at) ?? []).toEqual([]);
  });
});

/** Runs one js block in its own Node process; '' when it ran, else what went wrong. */
async function runBlock(block: Block, i: number): Promise<string> {
  const esm = isEsm(block.code) || block.given.has('esm');
  const { source, offset } = expand(block, exportsOf, esm ? 'esm' : 'cjs');
  const file = join(work, 'run', `b${i}.${esm ? 'mjs' : 'cjs'}`);
  await writeFile(file, source);
  const result = await run(process.execPath, ['runner.cjs', file, block.given.has('handler') ? 'handler' : 'load'], join(work, 'run'));
  let report: { ok: boolean; error?: string } = { ok: false };
  // The block may print; the runner's report is its last line.
  const marker = result.stdout.lastIndexOf('\n@@report ');
  try {
    if (marker < 0) throw new Error('no report');
    report = JSON.parse(result.stdout.slice(marker + '\n@@report '.length)) as typeof report;
  } catch {
    report = { ok: false, error: `no report (exit ${result.code ?? result.signal}):\n${result.stdout}\n${result.stderr}` };
  }
  return report.ok ? '' : `${where(block)} (preset ${presetOf(block.file)}, ${offset} given lines before the block): ${report.error ?? ''}`;
}

/** Every js block's verdict, run a few at a time (each is its own process). */
const jsVerdicts = new Map<Block, string>();
beforeAll(async () => {
  const queue = [...JS_BLOCKS.entries()];
  const worker = async (): Promise<void> => {
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      const [i, block] = next;
      jsVerdicts.set(block, await runBlock(block, i));
    }
  };
  await Promise.all([worker(), worker(), worker()]);
});

describe.each(JS_BLOCKS.map((block) => [where(block), block] as const))('js block %s', (_at, block) => {
  test('runs against the packed package', () => {
    expect(jsVerdicts.get(block)).toBe('');
  });
});
