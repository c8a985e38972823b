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
    await symlink(join(ROOT, 'node_modules', 'express4'), join(cwd, 'node_modules', 'express'), 'dir').catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
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
    // The child has its own 60 s watchdog; this one is for a child that cannot even start it.
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
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
        reject(new Error(`traced-app ${flavor} ${mode} printed no JSON\n--- stdout ---\n${stdout.slice(-2000)}\n--- stderr ---\n${stderr.slice(-4000)}`));
      }
    });
  });
}
