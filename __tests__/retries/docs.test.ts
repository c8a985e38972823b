// The retries and error-catalog guides hold: every `ts` block of docs/guides/retries.md and
// docs/guides/error-catalog.md is bundled against the sources and run by Node (ky is ESM only) with
// https://api.example.com pointing at a local server; each `console.log(x); // → y` line must print y.
// Each block also compiles standalone under tsc --strict with module nodenext.

import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { build } from 'esbuild';
import express from 'express';
import { defineErrors, envelope, errorHandler, idempotency } from '../../index';

const ROOT = join(__dirname, '..', '..');
const OUT = join(ROOT, 'node_modules', '.cache', `docs-retries-${process.pid}`);
const PAGES = ['docs/guides/retries.md', 'docs/guides/error-catalog.md'];

const BLOCKS: [string, string][] = PAGES.flatMap((page) =>
  [...readFileSync(join(ROOT, page), 'utf8').matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map(
    (match, i) => [`${page} block ${i + 1}`, match[1]] as [string, string],
  ),
);

const CHECK = `import { createRequire as __createRequire } from 'node:module';
import { isDeepStrictEqual as __equal, inspect as __inspect } from 'node:util';
const require = __createRequire(import.meta.url);
let __claims = 0;
function __check(actual, expected, line) {
  __claims++;
  if (!__equal(actual, expected)) { console.error(line + '\\n  printed: ' + __inspect(actual)); process.exitCode = 1; }
}
process.on('beforeExit', () => { process.stdout.write('claims:' + __claims); });
`;

let server: Server | undefined;
let base: string;

beforeAll(async () => {
  const errors = defineErrors({ CARD_DECLINED: { status: 402, message: 'The card was declined' } });
  const app = express();
  app.use(envelope('problem'));
  app.use(express.json());
  app.use(idempotency());
  app.post('/orders', (_req, res) => {
    res.status(201).success({ id: 42 });
  });
  app.get('/orders/:id', (req) => {
    throw Object.assign(new Error(`Order ${req.params.id} does not exist`), { status: 404, code: 'ORDER_NOT_FOUND' });
  });
  app.post('/payments', () => {
    throw errors.CARD_DECLINED();
  });
  app.use(errorHandler({ log: false }));
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve, reject) => (server as Server).once('listening', resolve).once('error', reject));
  base = `http://127.0.0.1:${((server as Server).address() as AddressInfo).port}`;
  mkdirSync(OUT, { recursive: true });
});

afterAll(async () => {
  rmSync(OUT, { recursive: true, force: true });
  const open = server;
  if (open === undefined) return;
  open.closeAllConnections();
  await new Promise((resolve) => open.close(resolve));
});

test('there are blocks to run', () => {
  expect(BLOCKS.length).toBeGreaterThanOrEqual(8);
});

/** Runs a command; resolves with its exit code and output. */
function run(file: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(file, args, { cwd: ROOT, timeout: 120_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? (child.exitCode ?? 1) : 0, stdout, stderr }),
    );
  });
}

test('every block compiles standalone (tsc --strict, module nodenext)', async () => {
  const dir = join(OUT, 'types');
  mkdirSync(dir, { recursive: true });
  const files = BLOCKS.map(([name, block]) => {
    const file = `${name.replace(/[^a-z0-9]+/gi, '-')}.mts`;
    writeFileSync(join(dir, file), block);
    return file;
  });
  const compilerOptions = {
    strict: true,
    module: 'nodenext',
    moduleResolution: 'nodenext',
    target: 'es2022',
    noEmit: true,
    skipLibCheck: true,
    types: ['node'],
    typeRoots: [join(ROOT, 'node_modules/@types')],
    paths: { 'express-envelope': [join(ROOT, 'index.ts')], 'express-envelope/client': [join(ROOT, 'client/index.ts')] },
  };
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files }));
  const result = await run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(dir, 'tsconfig.json')]);
  expect({ code: result.code, output: result.stdout + result.stderr }).toEqual({ code: 0, output: '' });
}, 150_000);

test.each(BLOCKS)(
  '%s',
  async (name, block) => {
    let claims = 0;
    const source = block
      .replaceAll('https://api.example.com', base)
      .split('\n')
      .map((line) => {
        const match = /^(\s*)console\.log\((.*)\); \/\/ → (.*)$/.exec(line);
        if (!match) return line;
        claims++;
        return `${match[1]}__check(${match[2]}, (${match[3]}), ${JSON.stringify(line.trim())});`;
      })
      .join('\n');
    const file = join(OUT, `${name.replace(/[^a-z0-9]+/gi, '-')}.mjs`);
    const entry = `${file}.ts`;
    writeFileSync(entry, source);
    await build({
      entryPoints: [entry],
      outfile: file,
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      packages: 'external',
      alias: { 'express-envelope/client': join(ROOT, 'client/index.ts'), 'express-envelope': join(ROOT, 'index.ts') },
      banner: { js: CHECK },
      logLevel: 'silent',
    });
    const { code, stdout, stderr } = await run(process.execPath, [file]);
    expect({ name, code, stderr }).toEqual({ name, code: 0, stderr: '' });
    expect(stdout).toContain(`claims:${claims}`);
  },
  90_000,
);
