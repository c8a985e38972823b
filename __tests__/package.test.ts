// Packs the package as npm would publish it and loads the tarball from CommonJS, ESM and TypeScript
// consumers outside the repository, so the exports map, the ESM wrapper and the shipped declarations
// are tested as users get them rather than as the sources look.
//
// The consumers get no `npm install` (slow or flaky when the registry is): the tarball is extracted
// into their node_modules and the packed package.json's dependencies and peers are symlinked from
// this repository's node_modules. Only what the packed package.json declares is linked, so code that
// requires an undeclared package fails here as it would for a user.

import { spawn } from 'node:child_process';
import { access, mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';

jest.setTimeout(120_000);

const ROOT = join(__dirname, '..');
const NAME = 'express-envelope';

/**
 * Types the consumer needs besides the declared peers: @types/node for the TypeScript consumer, and
 * express-serve-static-core, which the declarations augment and which npm hoists beside @types/express.
 */
const TYPE_PACKAGES = ['@types/node', '@types/express-serve-static-core'];

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    // A hung child would otherwise only show as jest's timeout, without its output.
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
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

/** Runs a command that must succeed and returns its stdout; a failure carries everything it printed. */
async function mustRun(command: string, args: readonly string[], cwd: string, env?: NodeJS.ProcessEnv): Promise<string> {
  const result = await run(command, args, cwd, env);
  if (result.code !== 0) {
    throw new Error(
      `\`${[command, ...args].join(' ')}\` (in ${cwd}) exited with ${result.code ?? result.signal}\n` +
        `--- stdout ---\n${result.stdout}\n--- stderr ---\n${result.stderr}`,
    );
  }
  return result.stdout;
}

/** What the runtime consumers print: every response they fetched, plus facts about how they loaded the package. */
interface ConsumerResponse {
  path: string;
  status: number;
  headers: Record<string, string>;
  body: string;
}
interface ConsumerReport {
  entry: string;
  exportNames: string[];
  responses: ConsumerResponse[];
  requireEntry?: string;
  cjsNames?: string[];
  sameInstance?: boolean;
}

/** Parses a consumer's stdout, or fails showing all it printed. */
function parseReport(stdout: string): ConsumerReport {
  try {
    return JSON.parse(stdout) as ConsumerReport;
  } catch {
    throw new Error(`the consumer printed no report:\n${stdout}`);
  }
}

// The app every runtime consumer builds; the CommonJS and ESM files differ only in how they load it.
const SCENARIO = `
const app = express();
app.use(requestId());
app.use('/api', envelope('vbapi'));
app.get('/api/clients/:id', async (req, res) => {
  // An await first: the id must still be in async context after it.
  await new Promise((resolve) => setTimeout(resolve, 1));
  res.setHeader('X-Context-Id', String(currentRequestId()));
  res.json({ id: Number(req.params.id), name: 'Example' });
});
app.use(notFound());
app.use(errorHandler({ log: false }));

const HEADERS = ['content-type', 'x-request-id', 'x-context-id', 'x-content-type-options'];

async function exercise(facts) {
  const server = http.createServer(app);
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const base = 'http://127.0.0.1:' + server.address().port;
  const requests = [
    ['/api/clients/1', {}],
    ['/api/clients/7', { 'X-Request-Id': 'consumer-req-42' }],
    ['/api/nope?token=secret', {}],
    ['/nope', {}],
  ];
  const responses = [];
  try {
    for (const [path, headers] of requests) {
      const res = await fetch(base + path, { headers });
      const picked = {};
      for (const name of HEADERS) if (res.headers.has(name)) picked[name] = res.headers.get(name);
      responses.push({ path, status: res.status, headers: picked, body: await res.text() });
    }
  } finally {
    server.closeAllConnections();
    server.close();
  }
  process.stdout.write(JSON.stringify({ ...facts, responses }));
}
`;

const CJS_CONSUMER = `'use strict';
const http = require('node:http');
const express = require('express');
const pkg = require('${NAME}');
const { requestId, envelope, notFound, errorHandler, currentRequestId } = pkg;
${SCENARIO}
exercise({
  entry: require.resolve('${NAME}'),
  exportNames: Object.keys(pkg).filter((name) => name !== '__esModule').sort(),
}).catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
`;

const ESM_CONSUMER = `import http from 'node:http';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import express from 'express';
import * as esm from '${NAME}';
import { requestId, envelope, notFound, errorHandler, currentRequestId } from '${NAME}';

const require = createRequire(import.meta.url);
const cjs = require('${NAME}');
const cjsNames = Object.keys(cjs).filter((name) => name !== '__esModule').sort();
${SCENARIO}
await exercise({
  entry: fileURLToPath(import.meta.resolve('${NAME}')),
  requireEntry: require.resolve('${NAME}'),
  exportNames: Object.keys(esm).sort(),
  cjsNames,
  // One module instance for both entries: one AsyncLocalStorage, one set of formats.
  sameInstance:
    esm.currentRequestId === cjs.currentRequestId &&
    esm.requestId === cjs.requestId &&
    cjsNames.every((name) => esm[name] === cjs[name]),
});
`;

// Type-level checks shared by the CommonJS (.ts) and ESM (.mts) TypeScript consumers. Every
// expect-error directive below must meet an error, or tsc fails on the unused directive.
const TS_BODY = `
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(): void {}

const app = express();
app.use(requestId());
app.use(requestId({ header: 'X-Correlation-Id', trustIncoming: false, maxLength: 64, generator: () => 'fixed' }));
app.use('/api', envelope('vbapi'));
app.use('/api2', envelope('vbapi', { debug: false, log: false }));
app.use('/portal', envelope('wispanel', { variant: 'portal' }));
app.use('/legacy', envelope('webServiceReturn', { log: (entry: LogEntry) => console.error(entry.requestId, entry.status) }));

const mine: Format = defineFormat({
  name: 'mine',
  render: (outcome: Outcome, ctx: RenderContext): Rendered =>
    outcome.kind === 'error'
      ? { status: outcome.status, body: { failed: outcome.message, id: ctx.requestId } }
      : { status: outcome.status, body: { result: outcome.data } },
  schemas: () => ({ success: { type: 'object' }, error: { type: 'object' } }),
});
app.use('/mine', envelope(mine));

app.get('/api/clients/:id', (req: Request, res: Response) => {
  // A string, as pino-http and express-request-id also declare it.
  assertType<Equal<typeof req.id, string>>();
  const id: string | undefined = currentRequestId() ?? req.id;
  const sent: Response = res.success({ id: req.params.id, requestId: id }, { status: 200, meta: { total: 1 } });
  assertType<Equal<typeof sent, Response>>();
});
app.get('/api/info', (_req: Request, res: Response) => {
  res.status(202).info({ queued: true }, { action: 'queued', message: 'Queued' });
});
app.use(notFound());
app.use(notFound({ message: 'No such endpoint' }));
app.use(errorHandler());
app.use(errorHandler({ format: 'jsend' }));
app.use(errorHandler({ format: 'wispanel', variant: 'lean', log: false, debug: true }));
app.use(errorHandler({ format: mine }));

// @ts-expect-error a misspelled option is caught
requestId({ hedaer: 'X-Request-Id' });
// @ts-expect-error not a wispanel variant
envelope('wispanel', { variant: 'dashboard' });
// @ts-expect-error not a preset name
envelope('vbapii');
// @ts-expect-error variant belongs to wispanel only
envelope('vbapi', { variant: 'portal' });
// @ts-expect-error not a preset name
errorHandler({ format: 'jsned' });
// @ts-expect-error success extras are checked
app.get('/x', (_req: Request, res: Response) => { res.success({}, { statsu: 201 }); });

// The client's types, from the client entry.
const decoded: Decoded<{ id: bigint }> = decodeText<{ id: bigint }>('universa', 200, '{"status":"OK","id":1}');
if (decoded.ok) {
  const id: bigint = decoded.data.id;
  void id;
} else {
  const failure: DecodedFailure = decoded;
  const code: string | undefined = failure.code;
  void code;
}
const portal = envelopeFetch('wispanel', { variant: 'portal' });
void portal;
try {
  unwrap(decoded);
} catch (error) {
  if (error instanceof EnvelopeResponseError) console.error(error.status, error.issues.length);
}
// @ts-expect-error not a preset name
decodeText('vbapii', 200, '{}');
// @ts-expect-error not a wispanel variant
envelopeFetch('wispanel', { variant: 'dashboard' });

export { app };
`;

// The client entry from each kind of consumer: a Universa id beyond 2^53 and a refused proxy page.
const CLIENT_SCENARIO = `
const decoded = decodeText('universa', 200, '{"status":"OK","Client":{"id":9223372036854775807}}', { 'x-request-id': 'c-1' });
let refusal;
try {
  decodeText('problem', 502, '<html>Bad Gateway</html>');
} catch (error) {
  refusal = { isDecodeError: error instanceof EnvelopeDecodeError, code: error.code, status: error.status };
}
const report = {
  ok: decoded.ok,
  idType: typeof decoded.data.Client.id,
  id: String(decoded.data.Client.id),
  requestId: decoded.requestId,
  refusal,
};
`;

const CLIENT_CJS_CONSUMER = `'use strict';
const client = require('${NAME}/client');
const { decodeText, EnvelopeDecodeError } = client;
${CLIENT_SCENARIO}
process.stdout.write(JSON.stringify({ ...report, entry: require.resolve('${NAME}/client'), exportNames: Object.keys(client).sort() }));
`;

const CLIENT_ESM_CONSUMER = `import { fileURLToPath } from 'node:url';
import * as client from '${NAME}/client';
import { decodeText, EnvelopeDecodeError } from '${NAME}/client';
${CLIENT_SCENARIO}
process.stdout.write(JSON.stringify({ ...report, entry: fileURLToPath(import.meta.resolve('${NAME}/client')), exportNames: Object.keys(client).sort() }));
`;

const CLIENT_EXPORTS = ['EnvelopeDecodeError', 'EnvelopeResponseError', 'decode', 'decodeText', 'envelopeFetch', 'unwrap'];

const TS_IMPORTS = `import express from 'express';
import type { Request, Response } from 'express';
import {
  type Format,
  type LogEntry,
  type Outcome,
  type RenderContext,
  type Rendered,
  currentRequestId,
  defineFormat,
  envelope,
  errorHandler,
  notFound,
  requestId,
} from '${NAME}';
import { type Decoded, type DecodedFailure, EnvelopeResponseError, decodeText, envelopeFetch, unwrap } from '${NAME}/client';
`;

const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'node16',
    moduleResolution: 'node16',
    lib: ['ES2022'],
    types: ['node'],
    strict: true,
    esModuleInterop: true,
    // The shipped declarations are checked too, as a consumer without skipLibCheck would.
    skipLibCheck: false,
    noEmit: true,
  },
  files: ['consumer.ts', 'consumer.mts'],
};

let work: string;
let consumer: string;
/** Paths in the tarball, without npm's leading `package/`. */
let packed: string[];
let manifest: {
  main?: string;
  types?: string;
  exports?: unknown;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
};

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), `${NAME}-pack-`));
  const packDir = join(work, 'pack');
  await mkdir(packDir);
  // prepack runs the build, so this also proves `npm pack` builds from a clean dist/.
  await mustRun('npm', ['pack', '--pack-destination', packDir], ROOT, { npm_config_update_notifier: 'false' });
  const tarballs = (await readdir(packDir)).filter((file) => file.endsWith('.tgz'));
  if (tarballs.length !== 1) throw new Error(`expected one tarball in ${packDir}, found ${tarballs.join(', ') || 'none'}`);
  const tarball = join(packDir, tarballs[0]);

  packed = (await mustRun('tar', ['-tzf', tarball], work))
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => line.replace(/^package\//, ''))
    .sort();

  consumer = join(work, 'consumer');
  const installed = join(consumer, 'node_modules', NAME);
  await mkdir(installed, { recursive: true });
  await mustRun('tar', ['-xzf', tarball, '-C', installed, '--strip-components=1'], work);
  manifest = JSON.parse(await readFile(join(installed, 'package.json'), 'utf8')) as typeof manifest;

  const links = [...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.peerDependencies ?? {}), ...TYPE_PACKAGES];
  for (const name of new Set(links)) {
    const target = join(ROOT, 'node_modules', name);
    await access(target).catch(() => {
      throw new Error(`${name} (needed by the packed package) is not in ${join(ROOT, 'node_modules')}: run npm install`);
    });
    const link = join(consumer, 'node_modules', name);
    await mkdir(dirname(link), { recursive: true });
    await symlink(target, link, 'junction');
  }

  await writeFile(join(consumer, 'package.json'), `${JSON.stringify({ name: 'consumer', private: true })}\n`);
  await writeFile(join(consumer, 'consumer.cjs'), CJS_CONSUMER);
  await writeFile(join(consumer, 'consumer.mjs'), ESM_CONSUMER);
  await writeFile(join(consumer, 'client.cjs'), CLIENT_CJS_CONSUMER);
  await writeFile(join(consumer, 'client.mjs'), CLIENT_ESM_CONSUMER);
  await writeFile(join(consumer, 'consumer.ts'), TS_IMPORTS + TS_BODY);
  await writeFile(join(consumer, 'consumer.mts'), TS_IMPORTS + TS_BODY);
  await writeFile(join(consumer, 'tsconfig.json'), `${JSON.stringify(TSCONFIG, null, 2)}\n`);
});

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

/** Every target named by the exports map (all conditions), main and types. */
function manifestTargets(): string[] {
  const targets: string[] = [];
  const walk = (value: unknown): void => {
    if (typeof value === 'string') targets.push(value);
    else if (value !== null && typeof value === 'object') Object.values(value).forEach(walk);
  };
  walk(manifest.exports);
  if (manifest.main) targets.push(manifest.main);
  if (manifest.types) targets.push(manifest.types);
  return targets.map((target) => target.replace(/^\.\//, ''));
}

describe('the packed tarball', () => {
  test('holds the build, package.json and docs files only', () => {
    const DOC_FILE = /^(README|LICEN[CS]E|CHANGELOG|HISTORY|NOTICE)(\.(md|txt|markdown))?$/i;
    const BUILD_FILE = /^dist\/(cjs|esm|client)\/.+\.(js|mjs|cjs|d\.ts|d\.mts|d\.cts)$/;
    const stray = packed.filter(
      (path) => path !== 'package.json' && path !== 'dist/cjs/package.json' && !DOC_FILE.test(path) && !BUILD_FILE.test(path),
    );
    expect(stray).toEqual([]);
    // Nothing from the tests, examples or scripts compiled into the build either.
    expect(packed.filter((path) => /__tests__|\.test\.|examples\/|scripts\//.test(path))).toEqual([]);
    expect(packed).toEqual(
      expect.arrayContaining([
        'package.json',
        'dist/cjs/package.json',
        'dist/cjs/index.js',
        'dist/cjs/index.d.ts',
        'dist/esm/index.mjs',
        'dist/esm/index.d.mts',
        'dist/client/index.mjs',
        'dist/client/index.cjs',
        'dist/client/index.d.ts',
        'dist/client/index.d.mts',
      ]),
    );
  });

  test('has every file that package.json points at', () => {
    const targets = manifestTargets();
    expect(targets.length).toBeGreaterThanOrEqual(10);
    expect(targets.filter((target) => !packed.includes(target))).toEqual([]);
  });

  test('has a declaration beside every module of the CommonJS build', () => {
    const modules = packed.filter((path) => path.startsWith('dist/cjs/') && path.endsWith('.js'));
    expect(modules.filter((path) => !packed.includes(path.replace(/\.js$/, '.d.ts')))).toEqual([]);
  });
});

/** The same four responses, whichever way the consumer loaded the package. */
function expectConsumerResponses(responses: ConsumerResponse[]): void {
  expect(responses.map((r) => r.path)).toEqual(['/api/clients/1', '/api/clients/7', '/api/nope?token=secret', '/nope']);
  const [found, reused, missing, outside] = responses;

  const id = found.headers['x-request-id'];
  expect(id).toMatch(UUID_V4);
  expect(found.status).toBe(200);
  expect(found.headers['content-type']).toBe('application/json; charset=utf-8');
  expect(found.headers['x-context-id']).toBe(id);
  expect(found.body).toBe(`{"data":{"id":1,"name":"Example"},"error":null,"debug":{"activityId":"${id}"}}`);

  expect(reused.status).toBe(200);
  expect(reused.headers['x-request-id']).toBe('consumer-req-42');
  expect(reused.headers['x-context-id']).toBe('consumer-req-42');
  expect(reused.body).toBe('{"data":{"id":7,"name":"Example"},"error":null,"debug":{"activityId":"consumer-req-42"}}');

  const missingId = missing.headers['x-request-id'];
  expect(missingId).toMatch(UUID_V4);
  expect(missingId).not.toBe(id);
  expect(missing.status).toBe(404);
  expect(missing.headers['content-type']).toBe('application/json; charset=utf-8');
  expect(missing.headers['x-content-type-options']).toBe('nosniff');
  expect(missing.body).toBe(
    '{"data":null,"error":{"type":"https://httpstatuses.com/404","title":"Not Found","status":404,' +
      `"detail":"Not Found","instance":"/api/nope"},"debug":{"activityId":"${missingId}"}}`,
  );

  // Outside /api no envelope() ran: errorHandler() falls back to problem details.
  expect(outside.status).toBe(404);
  expect(outside.headers['x-request-id']).toMatch(UUID_V4);
  expect(outside.headers['content-type']).toBe('application/problem+json; charset=utf-8');
  expect(outside.headers['x-content-type-options']).toBe('nosniff');
  expect(outside.body).toBe('{"type":"about:blank","title":"Not Found","status":404,"detail":"Not Found","instance":"/nope"}');
}

const CONSUMER_ENV = { NODE_ENV: 'production' };

describe('a consumer of the tarball', () => {
  test('loads it with require() and gets the enveloped responses', async () => {
    const report = parseReport(await mustRun(process.execPath, ['consumer.cjs'], consumer, CONSUMER_ENV));
    expect(report.entry).toBe(join(consumer, 'node_modules', NAME, 'dist', 'cjs', 'index.js'));
    expect(report.exportNames).toEqual(
      expect.arrayContaining(['currentRequestId', 'defineFormat', 'envelope', 'errorHandler', 'notFound', 'requestId']),
    );
    expectConsumerResponses(report.responses);
  });

  test('loads it with import, sharing one module instance with require()', async () => {
    const report = parseReport(await mustRun(process.execPath, ['consumer.mjs'], consumer, CONSUMER_ENV));
    expect(report.entry).toBe(join(consumer, 'node_modules', NAME, 'dist', 'esm', 'index.mjs'));
    expect(report.requireEntry).toBe(join(consumer, 'node_modules', NAME, 'dist', 'cjs', 'index.js'));
    // The ESM wrapper names every export of the CommonJS build, and nothing else.
    expect(report.exportNames).toEqual(report.cjsNames);
    expect(report.sameInstance).toBe(true);
    expectConsumerResponses(report.responses);
  });

  test('type-checks against the packed declarations from CommonJS and ESM (node16, strict)', async () => {
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const result = await run(process.execPath, [tsc, '-p', 'tsconfig.json', '--listFiles'], consumer);
    // --listFiles prints absolute paths; the diagnostics are the other lines.
    const lines = result.stdout.split('\n');
    const isPath = (line: string): boolean => isAbsolute(line.trim());
    if (result.code !== 0) {
      throw new Error(
        `tsc exited with ${result.code ?? result.signal} on the TypeScript consumer:\n` +
          `${lines.filter((line) => !isPath(line)).join('\n')}\n${result.stderr}`,
      );
    }
    const files = lines.filter(isPath).map((line) => line.trim());
    // Both conditions of the exports map were followed: types for require and types for import.
    const installed = join(consumer, 'node_modules', NAME).split('\\').join('/');
    expect(files).toEqual(
      expect.arrayContaining([
        `${installed}/dist/cjs/index.d.ts`,
        `${installed}/dist/esm/index.d.mts`,
        `${installed}/dist/client/index.d.ts`,
        `${installed}/dist/client/index.d.mts`,
      ]),
    );
  });

  const CLIENT_REPORT = {
    ok: true,
    idType: 'bigint',
    id: '9223372036854775807',
    requestId: 'c-1',
    refusal: { isDecodeError: true, code: 'ERR_ENVELOPE_DECODE', status: 502 },
    exportNames: CLIENT_EXPORTS,
  };

  test('loads express-envelope/client with require(): the CommonJS bundle', async () => {
    const report = JSON.parse(await mustRun(process.execPath, ['client.cjs'], consumer)) as Record<string, unknown>;
    expect(report).toEqual({ ...CLIENT_REPORT, entry: join(consumer, 'node_modules', NAME, 'dist', 'client', 'index.cjs') });
  });

  test('loads express-envelope/client with import: the ESM bundle', async () => {
    const report = JSON.parse(await mustRun(process.execPath, ['client.mjs'], consumer)) as Record<string, unknown>;
    expect(report).toEqual({ ...CLIENT_REPORT, entry: join(consumer, 'node_modules', NAME, 'dist', 'client', 'index.mjs') });
  });
});

// Fresh TypeScript projects, as a user sets one up: each gets its own directory, package.json and
// tsconfig, `strict`, and the shipped declarations checked (`skipLibCheck: false`).
interface TsProject {
  name: string;
  type: 'module' | 'commonjs';
  compilerOptions: Record<string, unknown>;
  files: Record<string, string>;
  /** Packages linked beside the tarball; `@types/express` only where the project's own code uses it. */
  links: readonly string[];
}

const WITH_EXPRESS_TYPES = [
  'express',
  '@types/express',
  '@types/express-serve-static-core',
  '@types/node',
  'pino',
  'pino-http',
  'express-request-id',
];

// Code a user writes in each project: the server and the client, with req.id as pino-http and
// express-request-id also declare it (a string), and responseOutcome() on what pino-http hands over.
const USER_SERVER = `import express from 'express';
import type { Request, Response } from 'express';
import { pinoHttp } from 'pino-http';
import { envelope, errorHandler, notFound, rateLimit, requestId, responseOutcome } from '${NAME}';

const app = express();
app.use(requestId());
app.use(pinoHttp({ genReqId: (req) => req.id, customLogLevel: (_req, res) => (responseOutcome(res) === 'error' ? 'warn' : 'info') }));
app.use('/api', envelope('jsend'), rateLimit({ limit: 10, keyGenerator: (req: Request) => req.ip ?? 'unknown' }));
app.get('/api/me', (req: Request, res: Response) => {
  const id: string = req.id;
  res.success({ id });
});
app.use(notFound());
app.use(errorHandler());
export { app };
`;
const USER_CLIENT = `import { decodeText, type Decoded } from '${NAME}/client';

const decoded: Decoded<{ id: number }> = decodeText<{ id: number }>('jsend', 200, '{"status":"success","data":{"id":1}}');
export const id: number | undefined = decoded.ok ? decoded.data.id : undefined;
`;
// No Express types at all: Node's http server and the package's own middleware types.
const NO_EXPRESS_TYPES = `import { createServer } from 'node:http';
import { envelope, errorHandler, rateLimit, requestId } from '${NAME}';
import { decodeText } from '${NAME}/client';

const middleware = [requestId(), envelope('vbapi'), rateLimit({ limit: 5 }), errorHandler()];
export const server = createServer((req, res) => res.end(String(middleware.length)));
export const ok: boolean = decodeText('vbapi', 200, '{"data":1,"error":null}').ok;
`;

const STRICT = {
  strict: true,
  skipLibCheck: false,
  noEmit: true,
  target: 'ES2022',
  lib: ['ES2022'],
  types: ['node'],
  esModuleInterop: true,
};

const TS_PROJECTS: TsProject[] = [
  {
    name: 'nodenext-esm',
    type: 'module',
    compilerOptions: { ...STRICT, module: 'nodenext', moduleResolution: 'nodenext' },
    files: { 'server.ts': USER_SERVER, 'client.ts': USER_CLIENT },
    links: WITH_EXPRESS_TYPES,
  },
  {
    name: 'nodenext-cjs',
    type: 'commonjs',
    compilerOptions: { ...STRICT, module: 'nodenext', moduleResolution: 'nodenext' },
    files: { 'server.ts': USER_SERVER, 'client.ts': USER_CLIENT },
    links: WITH_EXPRESS_TYPES,
  },
  {
    name: 'node10-cjs',
    type: 'commonjs',
    compilerOptions: { ...STRICT, module: 'commonjs', moduleResolution: 'node10' },
    files: { 'server.ts': USER_SERVER, 'client.ts': USER_CLIENT },
    links: WITH_EXPRESS_TYPES,
  },
  {
    name: 'no-express-types',
    type: 'module',
    // Links are followed as they sit in this project, so express-rate-limit cannot find the
    // repository's own @types/express through its real path.
    compilerOptions: { ...STRICT, module: 'nodenext', moduleResolution: 'nodenext', preserveSymlinks: true },
    files: { 'server.ts': NO_EXPRESS_TYPES },
    links: ['express', '@types/node', 'undici-types'],
  },
];

describe('a fresh TypeScript project using the tarball', () => {
  test.each(TS_PROJECTS.map((project) => [project.name, project] as const))('%s compiles under --strict', async (_name, project) => {
    const dir = join(work, `ts-${project.name}`);
    const modules = join(dir, 'node_modules');
    await mkdir(join(modules, NAME), { recursive: true });
    await mustRun(
      'tar',
      ['-xzf', join(work, 'pack', (await readdir(join(work, 'pack')))[0]), '-C', join(modules, NAME), '--strip-components=1'],
      work,
    );
    for (const name of new Set([...Object.keys(manifest.dependencies ?? {}), ...project.links])) {
      const link = join(modules, name);
      await mkdir(dirname(link), { recursive: true });
      await symlink(join(ROOT, 'node_modules', name), link, 'junction');
    }
    await writeFile(join(dir, 'package.json'), `${JSON.stringify({ name: project.name, private: true, type: project.type })}\n`);
    for (const [file, text] of Object.entries(project.files)) await writeFile(join(dir, file), text);
    await writeFile(
      join(dir, 'tsconfig.json'),
      `${JSON.stringify({ compilerOptions: project.compilerOptions, files: Object.keys(project.files) }, null, 2)}\n`,
    );
    const result = await run(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], dir);
    expect(`${result.stdout}${result.stderr}`).toBe('');
    expect(result.code).toBe(0);
  });
});
