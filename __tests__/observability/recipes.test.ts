// The recipes of docs/guides/observability.md, run as written: each ```ts block under a
// `<!-- recipe: … -->` mark is transpiled and run with `express-envelope` resolved to the sources.
// Sentry gets a transport that keeps its events in memory; the logger recipe's console is watched.

import { readFileSync } from 'node:fs';
import type { RequestListener } from 'node:http';
import { join } from 'node:path';
import * as Sentry from '@sentry/node';
import express from 'express';
import request from 'supertest';
import ts from 'typescript';
import * as envelopeModule from '../../index';

const PAGE = readFileSync(join(__dirname, '..', '..', 'docs', 'guides', 'observability.md'), 'utf8');

function recipe(name: string): string {
  const block = new RegExp(`<!-- recipe: ${name} -->\\n\`\`\`ts\\n([\\s\\S]*?)\\n\`\`\``).exec(PAGE);
  if (!block) throw new Error(`no recipe "${name}" in docs/guides/observability.md`);
  return block[1];
}

/** Runs a recipe; `modules` replace packages it imports. Returns the Express app it made. */
function run(code: string, modules: Record<string, unknown> = {}): RequestListener {
  const apps: RequestListener[] = [];
  const trackedExpress = Object.assign((...args: unknown[]) => {
    const app = (express as unknown as (...a: unknown[]) => RequestListener)(...args);
    apps.push(app);
    return app;
  }, express);
  const resolve = (name: string): unknown => {
    if (name in modules) return modules[name];
    if (name === 'express-envelope') return envelopeModule;
    if (name === 'express') return trackedExpress;
    return require(name); // eslint-disable-line @typescript-eslint/no-require-imports
  };
  const js = ts.transpileModule(code, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  }).outputText;
  const module = { exports: {} };
  new Function('require', 'module', 'exports', js)(resolve, module, module.exports);
  expect(apps).toHaveLength(1);
  return apps[0];
}

interface SentEvent {
  exception?: { values?: { type?: string; value?: string }[] };
  tags?: Record<string, unknown>;
}

describe('the Sentry recipe', () => {
  const events: SentEvent[] = [];

  /** @sentry/node as the recipe imports it, whose init() keeps events in memory instead of sending them. */
  const sentry = {
    ...Sentry,
    init: (options: Sentry.NodeOptions) =>
      Sentry.init({
        // No OpenTelemetry of Sentry's own in this process: the recipe only needs captureException.
        ...options,
        dsn: 'https://public@sentry.invalid/1',
        defaultIntegrations: false,
        transport: () => ({
          send: (envelope: unknown) => {
            const [, items] = envelope as [unknown, [{ type: string }, SentEvent][]];
            for (const [header, payload] of items) if (header.type === 'event') events.push(payload);
            return Promise.resolve({});
          },
          flush: () => Promise.resolve(true),
        }),
      }),
  };

  beforeEach(() => {
    events.length = 0;
    jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterEach(() => jest.restoreAllMocks());
  afterAll(() => Sentry.close(0));

  it('sends one event per 5xx, tagged with the request id; none for a 404, soft or hard', async () => {
    const app = run(recipe('sentry'), { '@sentry/node': sentry });
    const crash = await request(app).get('/api/reports');
    expect(crash.status).toBe(500);
    expect(crash.text).toBe('{"status":"error","code":"internal_server_error","text":"Internal Server Error"}');
    const soft = await request(app).get('/api/clients/7');
    expect(soft.status).toBe(200);
    expect(soft.text).toBe('{"status":"error","code":"not_found","text":"Client not found"}');
    const unknown = await request(app).get('/nope');
    expect(unknown.status).toBe(404);
    await Sentry.flush(5_000);
    expect(events).toHaveLength(1);
    expect(events[0].exception?.values?.[0]).toMatchObject({ type: 'Error', value: 'database unreachable' });
    expect(events[0].tags).toEqual({ request_id: crash.headers['x-request-id'] });
  });

  it("reports a soft error answered with 200 only with report: 'all'", async () => {
    const code = recipe('sentry');
    expect(code).toContain("report: '5xx'");
    const app = run(code.replace("report: '5xx'", "report: 'all'"), { '@sentry/node': sentry });
    const soft = await request(app).get('/api/clients/7');
    expect(soft.status).toBe(200);
    await Sentry.flush(5_000);
    expect(events).toHaveLength(1);
    expect(events[0].exception?.values?.[0]).toMatchObject({ type: 'NotFoundError', value: 'Client not found' });
    expect(events[0].tags).toEqual({ request_id: soft.headers['x-request-id'] });
  });
});

describe('the logger recipe', () => {
  it('logs every error response once, soft errors on 200 included, as one structured line', async () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const app = run(recipe('logger'));
      const soft = await request(app).post('/api/orders/9/ship').send({});
      expect(soft.status).toBe(200);
      const malformed = await request(app).post('/api/orders/9/ship').set('Content-Type', 'application/json').send('{"');
      expect(malformed.status).toBe(200);
      expect(warn.mock.calls).toEqual([
        [{ requestId: soft.headers['x-request-id'], status: 200, code: 'ORDER_SHIPPED', exposed: true, issues: 0 }],
        [{ requestId: malformed.headers['x-request-id'], status: 200, code: undefined, exposed: true, issues: 1 }],
      ]);
      expect(error).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
      error.mockRestore();
    }
  });
});
