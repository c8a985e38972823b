// The demo app (examples/app.js): every route under every preset, byte for byte against its page in docs/reference/presets/.
//
// The example requires 'express-envelope' by name; jest.config.js maps that name to ../index.ts,
// so this suite runs against the sources without a build.

import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Application } from 'express';
import request from 'supertest';
import { assertSchema } from './helpers/expect-envelope';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createDemoApp } = require('../examples/app') as { createDemoApp: () => Application };

type Case = 'success' | 'info' | 'created' | 'notFound' | 'badRequest' | 'crash' | 'malformed' | 'unknown';

interface Expected {
  status: number;
  /** The body in wire key order; the raw response text must equal its JSON. */
  body: unknown;
}

interface Preset {
  prefix: string;
  preset: string;
  /** The Content-Type of error responses. */
  errorType: string;
  expected(requestId: string): Record<Case, Expected>;
}

const JSON_TYPE = 'application/json; charset=utf-8';
const PROBLEM_TYPE = 'application/problem+json; charset=utf-8';

const CLIENT = { id: 1, name: 'Example' };
const CREATED = { id: 2, name: 'New client' };
const INFO = { max_tickets: 3 };
const BAD_REQUEST = 'The "from" date must be before "to"';
const MALFORMED = 'Malformed request body';
const SECRET = 'hunter2';

const CASES: Record<Case, { method: 'get' | 'post'; path: string; error: boolean }> = {
  success: { method: 'get', path: '/clients/1', error: false },
  info: { method: 'get', path: '/info', error: false },
  created: { method: 'post', path: '/clients', error: false },
  notFound: { method: 'get', path: '/clients/404', error: true },
  badRequest: { method: 'get', path: '/bad-request', error: true },
  crash: { method: 'get', path: '/crash', error: true },
  malformed: { method: 'post', path: '/clients', error: true },
  unknown: { method: 'get', path: '/no-such-route', error: true },
};

const CASE_NAMES = Object.keys(CASES) as Case[];

/** vbapi's error body. */
function vbapiError(status: number, title: string, detail: string, instance: string, id: string): unknown {
  return {
    data: null,
    error: { type: `https://httpstatuses.com/${status}`, title, status, detail, instance },
    debug: { activityId: id },
  };
}

function backendError(message: string): unknown {
  return { ok: false, type: 'error', action: 'error', data: null, message, meta: null };
}

function panelError(code: string, message: string, status: number): unknown {
  return { success: false, code, error: message, message, status };
}

function wsrError(code: string, message: string): unknown {
  return {
    WebServiceReturn: { Status: 'wrsFailed', ErrorCode: code, Message: message, Actor: '', ReturnQuestion: null },
  };
}

function wsrSuccess(data: Record<string, unknown>): unknown {
  return { WebServiceReturn: { Status: 'wrsSuccess', ErrorCode: '', Message: '', Actor: '', ReturnQuestion: null }, ...data };
}

function problemError(status: number, title: string, detail: string, instance: string): Record<string, unknown> {
  return { type: 'about:blank', title, status, detail, instance };
}

const PRESETS: Preset[] = [
  {
    prefix: '/vbapi',
    preset: 'vbapi',
    errorType: JSON_TYPE,
    expected: (id) => ({
      success: { status: 200, body: { data: CLIENT, error: null, debug: { activityId: id } } },
      info: { status: 200, body: { data: INFO, error: null, debug: { activityId: id } } },
      created: { status: 201, body: { data: CREATED, error: null, debug: { activityId: id } } },
      notFound: { status: 404, body: vbapiError(404, 'Not Found', 'Client not found', '/vbapi/clients/404', id) },
      badRequest: { status: 400, body: vbapiError(400, 'Bad Request', BAD_REQUEST, '/vbapi/bad-request', id) },
      crash: {
        status: 500,
        body: vbapiError(500, 'Internal Server Error', 'Internal Server Error', '/vbapi/crash', id),
      },
      malformed: {
        status: 400,
        body: vbapiError(400, 'Bad Request', `Validation failed: ${MALFORMED}`, '/vbapi/clients', id),
      },
      unknown: { status: 404, body: vbapiError(404, 'Not Found', 'Not Found', '/vbapi/no-such-route', id) },
    }),
  },
  {
    prefix: '/backend-response',
    preset: 'backendResponse',
    errorType: JSON_TYPE,
    expected: () => ({
      success: {
        status: 200,
        body: { ok: true, type: 'success', action: 'success', data: CLIENT, message: null, meta: null },
      },
      info: {
        status: 200,
        body: { ok: true, type: 'info', action: 'zone_ticket_limit_reached', data: INFO, message: null, meta: null },
      },
      created: {
        status: 201,
        body: { ok: true, type: 'success', action: 'success', data: CREATED, message: null, meta: null },
      },
      notFound: { status: 404, body: backendError('Client not found') },
      badRequest: { status: 400, body: backendError(BAD_REQUEST) },
      crash: { status: 500, body: backendError('Ocurrió un error interno en el servidor.') },
      malformed: { status: 422, body: backendError(`Error de validación: ${MALFORMED}`) },
      unknown: { status: 404, body: backendError('Not Found') },
    }),
  },
  {
    prefix: '/wispanel',
    preset: 'wispanel',
    errorType: JSON_TYPE,
    expected: () => ({
      success: { status: 200, body: { success: true, data: CLIENT } },
      info: { status: 200, body: { success: true, data: INFO } },
      created: { status: 201, body: { success: true, data: CREATED } },
      notFound: { status: 404, body: panelError('NOT_FOUND', 'Client not found', 404) },
      badRequest: { status: 400, body: panelError('VALIDATION_ERROR', BAD_REQUEST, 400) },
      crash: { status: 500, body: panelError('INTERNAL_ERROR', 'Internal Server Error', 500) },
      malformed: { status: 400, body: panelError('VALIDATION_ERROR', `Validation failed: ${MALFORMED}`, 400) },
      unknown: { status: 404, body: panelError('NOT_FOUND', 'Not Found', 404) },
    }),
  },
  {
    prefix: '/web-service-return',
    preset: 'webServiceReturn',
    errorType: JSON_TYPE,
    // HTTP 200 for every outcome below 500 (a 201 and a route not found included); 500 for 5xx.
    expected: () => ({
      success: { status: 200, body: wsrSuccess(CLIENT) },
      info: { status: 200, body: wsrSuccess(INFO) },
      created: { status: 200, body: wsrSuccess(CREATED) },
      notFound: { status: 200, body: wsrError('WSR-404', 'Client not found') },
      badRequest: { status: 200, body: wsrError('WSR-400', BAD_REQUEST) },
      crash: { status: 500, body: wsrError('WSR-500', 'Internal Server Error') },
      malformed: { status: 200, body: wsrError('WSR-400', MALFORMED) },
      unknown: { status: 200, body: wsrError('WSR-404', 'Not Found') },
    }),
  },
  {
    prefix: '/status-ok',
    preset: 'statusOk',
    errorType: JSON_TYPE,
    // Soft errors are HTTP 200; hard ones (unknown route, unparseable body, 5xx) keep their status.
    expected: () => ({
      success: { status: 200, body: { status: 'OK', ...CLIENT } },
      info: { status: 200, body: { status: 'OK', ...INFO } },
      created: { status: 201, body: { status: 'OK', ...CREATED } },
      notFound: { status: 200, body: { status: 'error', code: 'not_found', text: 'Client not found' } },
      badRequest: { status: 200, body: { status: 'error', code: 'bad_request', text: BAD_REQUEST } },
      crash: { status: 500, body: { status: 'error', code: 'internal_server_error', text: 'Internal Server Error' } },
      malformed: {
        status: 400,
        body: { status: 'error', code: 'validation_error', text: `Validation failed: ${MALFORMED}` },
      },
      unknown: { status: 404, body: { status: 'error', code: 'not_found', text: 'Not Found' } },
    }),
  },
  {
    prefix: '/jsend',
    preset: 'jsend',
    errorType: JSON_TYPE,
    expected: () => ({
      success: { status: 200, body: { status: 'success', data: CLIENT } },
      info: { status: 200, body: { status: 'success', data: INFO } },
      created: { status: 201, body: { status: 'success', data: CREATED } },
      notFound: { status: 404, body: { status: 'fail', data: { message: 'Client not found' } } },
      badRequest: { status: 400, body: { status: 'fail', data: { message: BAD_REQUEST } } },
      crash: { status: 500, body: { status: 'error', message: 'Internal Server Error' } },
      // An issue with an empty path is keyed `body` where a preset keys details by field.
      malformed: { status: 400, body: { status: 'fail', data: { body: MALFORMED } } },
      unknown: { status: 404, body: { status: 'fail', data: { message: 'Not Found' } } },
    }),
  },
  {
    prefix: '/problem',
    preset: 'problem',
    errorType: PROBLEM_TYPE,
    expected: () => ({
      success: { status: 200, body: CLIENT },
      info: { status: 200, body: INFO },
      created: { status: 201, body: CREATED },
      notFound: { status: 404, body: problemError(404, 'Not Found', 'Client not found', '/problem/clients/404') },
      badRequest: { status: 400, body: problemError(400, 'Bad Request', BAD_REQUEST, '/problem/bad-request') },
      crash: {
        status: 500,
        body: problemError(500, 'Internal Server Error', 'Internal Server Error', '/problem/crash'),
      },
      malformed: {
        status: 400,
        // docs/reference/presets/problem.md: "pointer": "#/<path with / separators>", here with the empty path.
        body: {
          ...problemError(400, 'Bad Request', MALFORMED, '/problem/clients'),
          errors: [{ detail: MALFORMED, pointer: '#/' }],
        },
      },
      unknown: { status: 404, body: problemError(404, 'Not Found', 'Not Found', '/problem/no-such-route') },
    }),
  },
];

const app = createDemoApp();

/** Sends one case's request with a fixed incoming request id. */
function send(prefix: string, name: Case, id: string): request.Test {
  const { method, path } = CASES[name];
  const agent = request(app);
  const test = agent[method](prefix + path).set('X-Request-Id', id);
  if (name === 'created') return test.set('Content-Type', 'application/json').send('{"name":"New client"}');
  if (name === 'malformed') return test.set('Content-Type', 'application/json').send('{"name": "New client",');
  return test;
}

let stderrWrite: jest.SpiedFunction<typeof process.stderr.write>;

beforeEach(() => {
  // The crash's log line (and nothing else) is expected on stderr; keep the test output clean.
  stderrWrite = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
});

afterEach(() => {
  stderrWrite.mockRestore();
});

function stderrText(): string {
  return stderrWrite.mock.calls.map((call) => String(call[0])).join('');
}

describe.each(PRESETS)('examples/app.js under $prefix ($preset)', ({ prefix, preset, errorType, expected }) => {
  test.each(CASE_NAMES)('%s', async (name) => {
    const id = `demo.${preset}.${name}`;
    const { status, body } = expected(id)[name];
    const res = await send(prefix, name, id);

    expect({ status: res.status, text: res.text }).toEqual({ status, text: JSON.stringify(body) });
    assertSchema(preset, CASES[name].error ? 'error' : 'success', JSON.parse(res.text));
    expect(res.headers['x-request-id']).toBe(id);
    if (CASES[name].error) {
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['content-type']).toBe(errorType);
    } else {
      expect(res.headers['content-type']).toBe(JSON_TYPE);
    }

    if (name === 'crash') {
      expect(res.text).not.toContain(SECRET);
      expect(res.text).not.toContain('database password');
      // The real message goes to the server's log, with the request id, and nowhere else.
      const logged = stderrText();
      expect(logged).toContain(`request ${id} GET ${prefix}/crash failed with 500`);
      expect(logged).toContain(SECRET);
    } else {
      expect(stderrWrite).not.toHaveBeenCalled();
    }
  });
});

describe('examples/app.js rate-limited route', () => {
  const REFUSED: Record<string, [number, string]> = {
    vbapi: [429, '"detail":"Too many requests, please try again later."'],
    backendResponse: [429, '"message":"Too many requests, please try again later."'],
    wispanel: [429, '"code":"RATE_LIMITED"'],
    webServiceReturn: [200, '"ErrorCode":"WSR-429"'],
    statusOk: [429, '"code":"too_many_requests"'],
    jsend: [429, '"status":"fail"'],
    problem: [429, '"title":"Too Many Requests"'],
  };

  test.each(PRESETS)('$prefix allows 3 requests a minute, then refuses in its envelope', async ({ prefix, preset }) => {
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await request(app).get(`${prefix}/limited`)).status);
    const refused = await request(app).get(`${prefix}/limited`);
    const [status, fragment] = REFUSED[preset];
    expect([...statuses, refused.status]).toEqual([200, 200, 200, status]);
    expect(refused.text).toContain(fragment);
    // X-RateLimit-Window only in WisPanel envelopes, whose contract names it.
    expect([refused.headers['x-ratelimit-limit'], refused.headers['x-ratelimit-remaining'], refused.headers['x-ratelimit-window']]).toEqual(
      ['3', '0', preset === 'wispanel' ? '60' : undefined],
    );
    expect(refused.headers['retry-after']).toMatch(/^\d+$/);
  });
});

describe('examples/app.js outside the presets', () => {
  test('a generated request id is in the header and in the body slot', async () => {
    const res = await request(app).get('/vbapi/clients/1');
    const id = res.headers['x-request-id'] as string;
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(res.status).toBe(200);
    expect(res.text).toBe(JSON.stringify({ data: CLIENT, error: null, debug: { activityId: id } }));
  });

  test('an unsafe incoming request id is replaced, never echoed', async () => {
    const res = await request(app).get('/jsend/clients/1').set('X-Request-Id', 'evil<script>');
    expect(res.headers['x-request-id']).not.toBe('evil<script>');
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('GET / lists the playground and every route under every preset and WisPanel variant, outside any envelope', async () => {
    const res = await request(app).get('/').set('Host', 'demo.test');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(JSON_TYPE);
    expect(res.headers['x-request-id']).toEqual(expect.any(String));
    const index = res.body as {
      name: string;
      playground: { url: string };
      presets: { preset: string; variant?: string; examples: { method: string; url: string }[] }[];
    };
    expect(index.playground.url).toBe('http://demo.test/');
    expect(index.presets.map((p) => (p.variant ? `${p.preset}:${p.variant}` : p.preset))).toEqual([
      ...PRESETS.map((p) => p.preset),
      'wispanel:portal',
      'wispanel:license',
      'wispanel:lean',
      'wispanel:bare',
    ]);
    const prefixes = [...PRESETS.map((p) => p.prefix), '/wispanel-portal', '/wispanel-license', '/wispanel-lean', '/wispanel-bare'];
    const routes = [
      'GET /clients/1',
      'GET /info',
      'POST /clients',
      'GET /clients/404',
      'GET /bad-request',
      'GET /validation',
      'POST /payments',
      'GET /crash',
      'GET /limited',
      'GET /no-such-route',
    ];
    for (const [i, prefix] of prefixes.entries()) {
      expect(index.presets[i].examples.map((e) => `${e.method} ${e.url}`)).toEqual(
        routes.map((route) => route.replace(' /', ` http://demo.test${prefix}/`)),
      );
    }
    // Every listed route exists: only /no-such-route reaches notFound().
    for (const route of routes) {
      const [method, path] = route.split(' ');
      const answer = method === 'GET' ? await request(app).get(`/jsend${path}`) : await request(app).post(`/jsend${path}`).send({});
      const unknown = answer.status === 404 && (answer.body as { data?: { message?: string } }).data?.message === 'Not Found';
      expect(`${route} ${unknown ? 'unknown' : 'exists'}`).toBe(`${route} ${path === '/no-such-route' ? 'unknown' : 'exists'}`);
    }
  });

  test('an unknown route outside every prefix is a problem details 404 (errorHandler default)', async () => {
    const res = await request(app).get('/nowhere?token=abc').set('X-Request-Id', 'demo.root.unknown');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toBe(PROBLEM_TYPE);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-request-id']).toBe('demo.root.unknown');
    expect(res.text).toBe(JSON.stringify(problemError(404, 'Not Found', 'Not Found', '/nowhere')));
  });
});

describe('examples/app.js payments route (idempotency)', () => {
  const MISMATCH = 'This Idempotency-Key was already used with a different request';

  test.each(PRESETS)('$prefix replays a retry and refuses another body with the same key', async ({ prefix, preset, errorType }) => {
    const demo = createDemoApp();
    const send = (id: string, body: unknown) =>
      request(demo)
        .post(`${prefix}/payments`)
        .set('Idempotency-Key', '"demo-key-1"')
        .set('X-Request-Id', id)
        .send(body as object);
    // webServiceReturn answers every success with HTTP 200.
    const created = preset === 'webServiceReturn' ? 200 : 201;
    const first = await send('demo.pay.1', { amount: 10 });
    expect([first.status, first.headers.location, first.headers['content-type'], first.headers['idempotent-replayed']]).toEqual([
      created,
      `${prefix}/payments/1`,
      JSON_TYPE,
      undefined,
    ]);
    assertSchema(preset, 'success', JSON.parse(first.text));
    expect(first.text).toMatch(/"id":1,"amount":10[,}]/);

    const replay = await send('demo.pay.2', { amount: 10 });
    expect([
      replay.status,
      replay.text,
      replay.headers.location,
      replay.headers['idempotent-replayed'],
      replay.headers['x-request-id'],
    ]).toEqual([created, first.text, `${prefix}/payments/1`, 'true', 'demo.pay.2']);

    const conflict = await send('demo.pay.3', { amount: 99 });
    expect([conflict.status, conflict.headers['content-type'], conflict.headers['x-content-type-options']]).toEqual([
      preset === 'webServiceReturn' ? 200 : 422,
      errorType,
      'nosniff',
    ]);
    assertSchema(preset, 'error', JSON.parse(conflict.text));
    expect(conflict.text).toContain(MISMATCH);
  });
});

describe('examples/server.js (npm start)', () => {
  test('listens on 127.0.0.1 unless HOST says otherwise, and prints the address it really bound', async () => {
    const saved = { PORT: process.env.PORT, HOST: process.env.HOST };
    process.env.PORT = '0';
    delete process.env.HOST;
    const lines: string[] = [];
    const log = jest.spyOn(console, 'log').mockImplementation((line: unknown) => void lines.push(String(line)));
    const sigint = process.listeners('SIGINT');
    const sigterm = process.listeners('SIGTERM');
    let server: Server | undefined;
    try {
      jest.isolateModules(() => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        server = (require('../examples/server') as { server: Server }).server;
      });
      await new Promise<void>((resolve, reject) => {
        if (server!.listening) resolve();
        else server!.once('listening', () => setImmediate(resolve)).once('error', reject);
      });
      const address = server!.address() as AddressInfo;
      expect(address.address).toBe('127.0.0.1');
      expect(lines[0]).toBe(
        `express-envelope demo on http://127.0.0.1:${address.port}  (playground and JSON index: http://127.0.0.1:${address.port}/)`,
      );
      expect(lines[1]).toBe(`vbapi            http://127.0.0.1:${address.port}/vbapi/clients/1`);
    } finally {
      log.mockRestore();
      if (server) {
        server.closeAllConnections();
        await new Promise((resolve) => server!.close(resolve));
      }
      for (const listener of process.listeners('SIGINT')) if (!sigint.includes(listener)) process.removeListener('SIGINT', listener);
      for (const listener of process.listeners('SIGTERM')) if (!sigterm.includes(listener)) process.removeListener('SIGTERM', listener);
      process.env.PORT = saved.PORT;
      if (saved.PORT === undefined) delete process.env.PORT;
      if (saved.HOST !== undefined) process.env.HOST = saved.HOST;
    }
  });
});
