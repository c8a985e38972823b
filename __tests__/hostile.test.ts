// Hostile input found by probing: each case once reproduced a crash, a leak, a frozen loop or an
// invalid envelope. Cases that used to throw run from a timer callback, where a throw would crash the
// process (jest would report it), not be caught by Express.

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import createError from 'http-errors';
import request from 'supertest';
import { checkExact, body as field } from 'express-validator';
import * as z from 'zod';
import { type LogEntry, defineFormat, envelope, errorHandler, notFound, requestId, validate } from '../index';
import { EXPRESS_FLAVORS, FLAVORS, type Handler, createApp, expressOf, quiet } from './helpers/create-app';
import { assertSchema, expectEnvelope } from './helpers/expect-envelope';

/** Runs `fn` later, outside Express's try/catch, as a callback-style handler would. */
const later =
  (fn: Handler): Handler =>
  (req, res, next) => {
    setTimeout(() => fn(req, res, next), 1);
  };

const INTERNAL_VBAPI = (instance: string, id: string): unknown => ({
  data: null,
  error: { type: 'https://httpstatuses.com/500', title: 'Internal Server Error', status: 500, detail: 'Internal Server Error', instance },
  debug: { activityId: id },
});

describe.each(FLAVORS)('hostile handler input on %s', (flavor) => {
  quiet();
  const logs: LogEntry[] = [];
  const log = (entry: LogEntry): void => {
    logs.push(entry);
  };
  const revoked = Proxy.revocable({}, {});
  revoked.revoke();
  const routes: Record<string, Handler> = {
    '/meta-unicode': later((_req, res) => res.success([1], { meta: { q: '東京', city: 'Zürich' } })),
    '/getter-body': later((_req, res) => {
      res.statusCode = 422;
      res.json({
        get message(): string {
          throw new Error('getter exploded');
        },
      });
    }),
    '/revoked-body': later((_req, res) => {
      res.statusCode = 400;
      res.json(revoked.proxy);
    }),
    '/status-1000': later((_req, res) => {
      res.statusCode = 1000;
      res.json({ a: 1 });
    }),
    '/success-status-1000': later((_req, res) => res.success({ a: 1 }, { status: 1000 })),
    '/throwing-extras': later((_req, res) =>
      res.success(
        { a: 1 },
        {
          get status(): number {
            throw new Error('extras exploded');
          },
        },
      ),
    ),
    '/error-instance': (_req, res) => {
      res.statusCode = 500;
      res.json(Object.assign(new Error('connect ECONNREFUSED 10.0.3.7:5432'), { code: 'ECONNREFUSED' }));
    },
    '/exposed-instance': (_req, res) => {
      res.statusCode = 409;
      res.json(createError(409, 'Already paid', { code: 'PAID' }));
    },
    '/function': (_req, res) => res.json(() => 1),
    '/symbol': (_req, res) => res.json(Symbol('s')),
    '/tojson-undefined': (_req, res) => res.json({ toJSON: () => undefined }),
    '/boxed-bigint': (_req, res) => res.json({ n: Object(5n) }),
    '/upstream-headers': () => {
      throw createError(502, 'Bad gateway', {
        headers: { 'X-Request-Id': 'upstream-id', 'Content-Type': 'text/html', 'Retry-After': '5' },
      });
    },
  };
  const app = createApp(flavor, {
    requestId: { generator: () => 'id-h' },
    mounts: [
      { prefix: '/vbapi', format: 'vbapi', options: { log }, routes },
      { prefix: '/wisphub', format: 'backendResponse', options: { log }, routes },
      { prefix: '/wispanel', format: 'wispanel', options: { log }, routes },
      { prefix: '/jsend', format: 'jsend', options: { log }, routes },
    ],
    errorHandler: { log },
  });

  beforeEach(() => {
    logs.length = 0;
  });

  it('escapes any Unicode in a header built from data (X-Pagination), so Node never refuses it', async () => {
    expectEnvelope(await request(app).get('/vbapi/meta-unicode'), {
      format: 'vbapi',
      kind: 'success',
      status: 200,
      body: { data: [1], error: null, debug: { activityId: 'id-h' } },
      headers: { 'X-Pagination': '{"q":"\\u6771\\u4eac","city":"Z\\u00fcrich"}' },
    });
  });

  it.each(['/getter-body', '/revoked-body', '/status-1000', '/success-status-1000', '/throwing-extras'])(
    'answers %s with a logged 500 in the envelope, never a throw from res.json/res.success',
    async (path) => {
      expectEnvelope(await request(app).get(`/vbapi${path}`), {
        format: 'vbapi',
        kind: 'error',
        status: 500,
        body: INTERNAL_VBAPI(`/vbapi${path}`, 'id-h'),
      });
      expect(logs.map((entry) => [entry.status, entry.path])).toEqual([[500, `/vbapi${path}`]]);
    },
  );

  it('treats an Error given to res.status(500).json() as an unexposed error: no message, no code', async () => {
    expectEnvelope(await request(app).get('/wispanel/error-instance'), {
      format: 'wispanel',
      kind: 'error',
      status: 500,
      body: { success: false, code: 'INTERNAL_ERROR', error: 'Internal Server Error', message: 'Internal Server Error', status: 500 },
    });
    expectEnvelope(await request(app).get('/wispanel/exposed-instance'), {
      format: 'wispanel',
      kind: 'error',
      status: 409,
      body: { success: false, code: 'PAID', error: 'Already paid', message: 'Already paid', status: 409 },
    });
  });

  it.each([
    ['/vbapi', { data: null, error: null, debug: { activityId: 'id-h' } }, 'vbapi'],
    ['/wisphub', { ok: true, type: 'success', action: 'success', data: null, message: null, meta: null }, 'backendResponse'],
    ['/wispanel', { success: true, data: null }, 'wispanel'],
    ['/jsend', { status: 'success', data: null }, 'jsend'],
  ])('renders a payload JSON would drop as null under %s', async (prefix, body, format) => {
    for (const path of ['/function', '/symbol', '/tojson-undefined']) {
      expectEnvelope(await request(app).get(prefix + path), { format, kind: 'success', status: 200, body });
    }
  });

  it('writes a boxed BigInt (Object(5n)) as its number', async () => {
    expectEnvelope(await request(app).get('/jsend/boxed-bigint'), {
      format: 'jsend',
      kind: 'success',
      status: 200,
      body: '{"status":"success","data":{"n":5}}',
    });
  });

  it("keeps the package's own headers when an error's headers carry X-Request-Id or Content-Type", async () => {
    const res = await request(app).get('/jsend/upstream-headers').set('X-Request-Id', 'client-id-1');
    expectEnvelope(res, {
      format: 'jsend',
      kind: 'error',
      status: 502,
      body: { status: 'error', message: 'Bad Gateway' },
      headers: { 'X-Request-Id': 'client-id-1', 'Retry-After': '5' },
    });
  });
});

describe.each(EXPRESS_FLAVORS)('hostile requests on %s', (flavor) => {
  quiet();
  const exp = expressOf(flavor);

  it('answers a URL parameter Express cannot decode with a fixed text, never the raw URL', async () => {
    const app = exp();
    app.use(requestId({ generator: () => 'id-u' }));
    app.use('/api', envelope('problem'));
    app.get('/api/users/:id', (req, res) => {
      res.json({ id: req.params.id });
    });
    app.use(errorHandler());
    const res = await request(app).get('/api/users/sk_live_abcdef%C0%AF');
    expectEnvelope(res, {
      format: 'problem',
      kind: 'error',
      status: 400,
      contentType: 'application/problem+json; charset=utf-8',
      body: {
        type: 'about:blank',
        title: 'Bad Request',
        status: 400,
        detail: 'Malformed URL parameter',
        instance: '/api/users/sk_live_abcdef%C0%AF',
      },
    });
    expect(res.text).not.toContain('decode');
  });

  it('answers a key that is a lone surrogate with a 400, its pointer well formed', async () => {
    const app = exp();
    app.use(requestId({ generator: () => 'id-l' }));
    app.use(exp.json());
    app.post('/', (req, _res, next) => {
      const result = z.record(z.string(), z.number()).safeParse(req.body);
      next(result.success ? undefined : result.error);
    });
    app.use(errorHandler());
    const res = await request(app).post('/').set('Content-Type', 'application/json').send('{"\\ud800":"x"}');
    expectEnvelope(res, {
      format: 'problem',
      kind: 'error',
      status: 400,
      contentType: 'application/problem+json; charset=utf-8',
      body: {
        type: 'about:blank',
        title: 'Bad Request',
        status: 400,
        detail: '\ud800: Invalid input: expected number, received string',
        instance: '/',
        errors: [{ detail: 'Invalid input: expected number, received string', pointer: '#/%EF%BF%BD' }],
      },
    });
  });

  it('keeps the keep-alive socket of the next request when an error arrives after the response finished', async () => {
    const logs: LogEntry[] = [];
    const app = exp();
    app.use(requestId({ generator: () => 'id-k' }));
    app.use(envelope('jsend'));
    app.get('/late', (_req, res, next) => {
      res.json({ first: true });
      setTimeout(() => next(new Error('late failure')), 5);
    });
    app.get('/next', (_req, res) => {
      setTimeout(() => res.json({ second: true }), 30);
    });
    app.use(errorHandler({ log: (entry) => logs.push(entry) }));
    const server = http.createServer(app).listen(0);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const get = (path: string): Promise<{ status: number; text: string; socket: unknown }> =>
      new Promise((resolve, reject) => {
        const req = http.get({ port: (server.address() as AddressInfo).port, path, agent }, (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text, socket: req.socket }));
        });
        req.on('error', reject);
      });
    try {
      const first = await get('/late');
      const second = await get('/next');
      expect([first.status, first.text, second.status, second.text]).toEqual([
        200,
        '{"status":"success","data":{"first":true}}',
        200,
        '{"status":"success","data":{"second":true}}',
      ]);
      expect(second.socket).toBe(first.socket);
      expect(logs.map((entry) => [entry.requestId, entry.status, (entry.error as Error).message])).toEqual([['id-k', 500, 'late failure']]);
    } finally {
      agent.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('cuts a started response that gets a second body, and logs it, instead of throwing', async () => {
    const logs: LogEntry[] = [];
    const app = exp();
    app.use(requestId({ generator: () => 'id-w' }));
    app.use(envelope('jsend', { log: (entry) => logs.push(entry) }));
    app.get('/partial', (_req, res) => {
      res.write('partial');
      setTimeout(() => res.json({ late: true }), 1);
    });
    const server = http.createServer(app).listen(0);
    try {
      const outcome = await new Promise<string>((resolve) => {
        http
          .get({ port: (server.address() as AddressInfo).port, path: '/partial' }, (r) => {
            r.on('data', () => undefined);
            r.on('end', () => resolve('ended'));
            r.on('aborted', () => resolve('aborted'));
            r.on('error', () => resolve('aborted'));
          })
          .on('error', () => resolve('aborted'));
      });
      expect(outcome).toBe('aborted');
      expect(logs.map((entry) => [entry.requestId, entry.status, (entry.error as { code?: string }).code])).toEqual([
        ['id-w', 500, 'ERR_ENVELOPE_HEADERS_SENT'],
      ]);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('leaves a #fragment of the request line out of instance', async () => {
    const app = exp();
    app.use(requestId({ generator: () => 'id-f' }));
    app.use(notFound());
    app.use(errorHandler());
    const server = http.createServer(app).listen(0);
    try {
      const res = await new Promise<{ status: number; text: string }>((resolve, reject) => {
        http
          .get({ port: (server.address() as AddressInfo).port, path: '/missing#frag?x=1' }, (r) => {
            let text = '';
            r.on('data', (chunk: Buffer) => (text += chunk.toString()));
            r.on('end', () => resolve({ status: r.statusCode ?? 0, text }));
          })
          .on('error', reject);
      });
      expect(res).toEqual({
        status: 404,
        text: '{"type":"about:blank","title":"Not Found","status":404,"detail":"Not Found","instance":"/missing"}',
      });
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('custom formats that return what Node refuses', () => {
  quiet();
  const PROBLEM_500 =
    '{"type":"about:blank","title":"Internal Server Error","status":500,"detail":"Internal Server Error","instance":"/x"}';
  const renders: Record<string, () => unknown> = {
    'status 99': () => ({ status: 99, body: { ok: 1 } }),
    'status 1000': () => ({ status: 1000, body: { ok: 1 } }),
    "status 'abc'": () => ({ status: 'abc', body: { ok: 1 } }),
    'a header outside Latin-1': () => ({ status: 200, body: { ok: 1 }, headers: { 'X-City': '東京' } }),
    'a status getter that throws': () => ({
      get status(): number {
        throw new Error('status exploded');
      },
      body: {},
    }),
    'an async render': () => Promise.reject(new Error('async render')),
  };

  it.each(Object.keys(renders))('falls back to problem details for %s, from a timer callback', async (name) => {
    const format = defineFormat({ name: 'broken', render: renders[name] as never, schemas: () => ({ success: {}, error: {} }) });
    const express = expressOf('express5');
    const app = express();
    app.use(requestId({ generator: () => 'id-c' }));
    app.use(envelope(format, { log: false }));
    app.get('/x', later((_req, res) => res.json({ a: 1 })) as never);
    const res = await request(app).get('/x');
    expect([res.status, res.headers['content-type'], res.text]).toEqual([500, 'application/problem+json; charset=utf-8', PROBLEM_500]);
  });

  it('survives a genericMessage that throws', async () => {
    const format = defineFormat({
      name: 'generic-throws',
      render: (o) => ({ status: o.status, body: o.kind === 'error' ? { failed: o.message } : o.data }),
      schemas: () => ({ success: {}, error: {} }),
      genericMessage: () => {
        throw new Error('generic exploded');
      },
    });
    const express = expressOf('express4');
    const app = express();
    app.use(requestId({ generator: () => 'id-g' }));
    app.use(envelope(format));
    app.get('/x', () => {
      throw new Error('secret');
    });
    app.use(errorHandler({ log: false }));
    const res = await request(app).get('/x');
    expect([res.status, res.text]).toEqual([500, '{"failed":"Internal Server Error"}']);
  });
});

describe('validation failures on hostile bodies', () => {
  quiet();
  const secret = 'sk_live_Secret123';

  function appFor(messages: (body: Record<string, string>) => { path: string; message: string }[]) {
    const express = expressOf('express5');
    const app = express();
    app.use(requestId({ generator: () => 'id-v' }));
    app.use(envelope('vbapi'));
    app.use(express.json({ limit: '2mb' }));
    app.post('/', (req, _res, next) => {
      next(createError(400, 'Invalid', { details: messages(req.body as Record<string, string>) }));
    });
    app.use(errorHandler());
    return app;
  }

  it.each([
    ['upper-cased', (b: Record<string, string>) => `${b.card.toUpperCase()} is not allowed`],
    ['lower-cased', (b: Record<string, string>) => `${b.card.toLowerCase()} is not allowed`],
    ['trimmed', (b: Record<string, string>) => `"${b.padded.trim()}" is not allowed`],
    ['JSON-stringified', (b: Record<string, string>) => `got ${JSON.stringify(b.quoted)}`],
    ['URL-encoded', (b: Record<string, string>) => `got ${encodeURIComponent(b.email)}`],
    ['HTML-escaped', (b: Record<string, string>) => `got ${b.html.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}`],
    [
      'escaped as Joi escapeHtml does',
      (b: Record<string, string>) => `got ${b.card.replace(/[^A-Za-z0-9]/g, (c) => `&#x${c.charCodeAt(0).toString(16)};`)}`,
    ],
    ['a substring', (b: Record<string, string>) => `starts with ${b.card.slice(0, 12)}`],
  ])('never echoes a submitted value %s', async (_name, message) => {
    const app = appFor((b) => [{ path: 'card', message: message(b) }]);
    const res = await request(app)
      .post('/')
      .send({ card: secret, padded: '   padded-secret-9   ', quoted: 'quote"secret\\x', email: 'a b@secret.io', html: '<b>&secret-tag' });
    expectEnvelope(res, {
      format: 'vbapi',
      kind: 'error',
      status: 400,
      body: {
        data: null,
        error: {
          type: 'https://httpstatuses.com/400',
          title: 'Bad Request',
          status: 400,
          detail: 'Validation failed: card: Invalid value',
          instance: '/',
        },
        debug: { activityId: 'id-v' },
      },
    });
  });

  it('never echoes a submitted value through res.status(400).json(err) either', async () => {
    const express = expressOf('express4');
    const app = express();
    app.use(requestId({ generator: () => 'id-j' }));
    app.use(envelope('jsend'));
    app.use(express.json());
    app.post('/', (req, res) => {
      const body = req.body as Record<string, string>;
      res
        .status(400)
        .json(createError(400, 'Invalid', { details: [{ path: 'name', message: `clashes with ${body.card.toUpperCase()}` }] }));
    });
    const res = await request(app).post('/').send({ name: 'x', card: secret });
    expectEnvelope(res, { format: 'jsend', kind: 'error', status: 400, body: { status: 'fail', data: { name: 'Invalid value' } } });
  });

  it('never echoes a value split across two issues', async () => {
    const value = 'ABCDEFGHIJKLMNOPQRST';
    const app = appFor(() => [
      { path: 'a', message: `bad ${value.slice(0, 10)}` },
      { path: 'b', message: `bad ${value.slice(10)}` },
    ]);
    const res = await request(app).post('/').send({ token: value });
    expect(JSON.parse(res.text).error.detail).toBe('Validation failed: a: Invalid value; b: Invalid value');
  });

  it("never echoes a client's keys through checkExact(), upper-cased", async () => {
    const express = expressOf('express4');
    const app = express();
    app.use(requestId({ generator: () => 'id-x' }));
    app.use(envelope('wispanel', { variant: 'portal' }));
    app.use(express.json());
    app.post(
      '/',
      validate([
        field('name').isString(),
        checkExact([], { message: (fields: { path: string }[]) => `Unknown: ${fields.map((f) => f.path.toUpperCase()).join(', ')}` }),
      ]),
      (_req, res) => {
        res.json({});
      },
    );
    app.use(errorHandler());
    const res = await request(app).post('/').send({ name: 'ok', sk_live_hidden_key: 1 });
    expectEnvelope(res, {
      format: 'wispanel',
      options: { variant: 'portal' },
      kind: 'error',
      status: 422,
      body: { success: false, error: 'Validation failed', code: 'VALIDATION_ERROR', details: { body: ['Unknown field(s)'] } },
    });
  });

  it('carries at most 100 issues, the rest counted, for a 100 kB body of wrong types', async () => {
    const express = expressOf('express5');
    const app = express();
    app.use(requestId({ generator: () => 'id-n' }));
    app.use('/wisphub', envelope('backendResponse'));
    app.use('/problem', envelope('problem'));
    app.use(express.json({ limit: '1mb' }));
    app.post(/.*/, (req, _res, next) => {
      const result = z.object({ items: z.array(z.string()) }).safeParse(req.body);
      next(result.success ? undefined : result.error);
    });
    app.use(errorHandler());
    const items = Array.from({ length: 18_864 }, (_, i) => 100 + i);
    const wisphub = await request(app).post('/wisphub').send({ items });
    const message = JSON.parse(wisphub.text).message as string;
    expect(message.split('; ').length).toBe(101);
    expect(message.startsWith('Error de validación: items.0: Invalid input: expected string, received number; items.1:')).toBe(true);
    expect(message.endsWith('; items.99: Invalid input: expected string, received number; and 18764 more')).toBe(true);
    assertSchema('backendResponse', 'error', JSON.parse(wisphub.text));
    const problem = JSON.parse((await request(app).post('/problem').send({ items })).text) as { errors: unknown[]; detail: string };
    expect([problem.errors.length, problem.detail.endsWith('and 18764 more')]).toEqual([100, true]);
  });
});
