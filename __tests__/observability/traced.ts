// Runs fixtures/traced-app.ts in a child process: bundled once by esbuild (the package's sources in,
// every npm package left external and resolved from this repository), killed if it outlives its
// budget, its temporary directory removed whatever happens.

import { spawn } from 'node:child_process';
import { mkdtemp, rm, symlink, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';

const ROOT = join(__dirname, '..', '..');

export interface TracedSpan {
  kind: number;
  name: string;
  traceId: string;
  status: number;
  attributes: Record<string, unknown>;
  events: { name: string; attributes: Record<string, unknown> }[];
}

export interface Exchange {
  preset: string;
  scenario: string;
  status: number;
  requestId: string;
  contentType: string;
  body: string;
  spans: TracedSpan[];
}

export type Flavor = 'express5' | 'express4' | 'connect';
export type Mode = 'sdk' | 'none' | 'throwing';

/** A directory holding the bundled fixture, and `node_modules/express` → Express 4 for that flavor. */
export async function bundle(): Promise<{ dir: string; script: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'envelope-traced-'));
  const cleanup = (): Promise<void> => rm(dir, { recursive: true, force: true });
  try {
    const script = join(dir, 'traced-app.js');
    await build({
      entryPoints: [join(__dirname, 'fixtures', 'traced-app.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      packages: 'external',
      outfile: script,
      logLevel: 'silent',
    });
    return { dir, script, cleanup };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

/**
 * Runs the fixture for one flavor and mode; resolves with what it fetched. Express 4 is the
 * `express4` alias: it is linked as `express` in a directory of its own, so the Express
 * instrumentation knows it by its name.
 */
export async function runTraced(script: string, dir: string, flavor: Flavor, mode: Mode): Promise<Exchange[]> {
  let cwd = dir;
  if (flavor === 'express4') {
    cwd = join(dir, 'express4');
    await mkdir(join(cwd, 'node_modules'), { recursive: true });
    await symlink(join(ROOT, 'node_modules', 'express4'), join(cwd, 'node_modules', 'express'), 'dir').catch(
      (error: NodeJS.ErrnoException) => {
        if (error.code !== 'EEXIST') throw error;
      },
    );
  }
  const linked = flavor === 'express4' ? join(cwd, 'node_modules') + ':' : '';
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, flavor, mode], {
      cwd,
      env: { ...process.env, NODE_PATH: linked + join(ROOT, 'node_modules'), NODE_ENV: 'test' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    // The child has its own 150 s watchdog; this one is for a child that cannot even start it.
    const timer = setTimeout(() => child.kill('SIGKILL'), 170_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code !== 0) {
        reject(new Error(`traced-app ${flavor} ${mode} exited with ${code ?? signal}\n--- stderr ---\n${stderr.slice(-4000)}`));
        return;
      }
      try {
        resolve(JSON.parse(stdout) as Exchange[]);
      } catch {
        reject(
          new Error(
            `traced-app ${flavor} ${mode} printed no JSON\n--- stdout ---\n${stdout.slice(-2000)}\n--- stderr ---\n${stderr.slice(-4000)}`,
          ),
        );
      }
    });
  });
}

const KINDS = ['INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'];
const STATUSES = ['UNSET', 'OK', 'ERROR'];

function value(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}

/**
 * One request's spans as a text table (the picture of a trace in docs/guides/observability.md): the
 * server span first with the package's attributes and its events, then the middleware spans in the
 * order they ended. Ids become `<trace-id>`; bundling suffixes (`requestId2`) are dropped; a stack
 * keeps its first line.
 */
export function renderTrace(exchange: Exchange): string {
  const server = exchange.spans.find((span) => span.kind === 1)!;
  const lines: string[] = [];
  lines.push(`trace <trace-id>: ${server.attributes['http.request.method']} ${server.attributes['url.path']} → ${exchange.status}`);
  const row = (span: TracedSpan, indent: string): void => {
    const name = span.name.replace(/^(middleware - \w+?)\d+$/, '$1');
    lines.push(`${indent}${KINDS[span.kind].padEnd(9)}${name.padEnd(30)}status ${STATUSES[span.status]}`);
    const shown = Object.entries(span.attributes).filter(
      ([key]) => key.startsWith('express_envelope.') || key === 'error.type' || key === 'http.response.status_code',
    );
    for (const [key, v] of shown) lines.push(`${indent}    ${key} = ${key === 'express_envelope.request_id' ? '"<trace-id>"' : value(v)}`);
    for (const event of span.events) {
      lines.push(`${indent}    event ${event.name}`);
      for (const [key, v] of Object.entries(event.attributes)) {
        lines.push(
          `${indent}        ${key} = ${key === 'exception.stacktrace' ? value(String(v).split('\n')[0] + '\n    at …') : value(v)}`,
        );
      }
    }
  };
  row(server, '');
  for (const span of exchange.spans) if (span !== server && span.traceId === server.traceId) row(span, '  ');
  return lines.join('\n');
}
