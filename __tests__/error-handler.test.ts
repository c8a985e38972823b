// errorHandler(): any thrown or forwarded value → the request's envelope, by the rules of docs/internals/contract.md#errors.

import express from 'express';
import createError from 'http-errors';
import request from 'supertest';
import { type LogEntry, envelope, errorHandler, requestId } from '../index';
import { EXPRESS_FLAVORS, FLAVORS, type Handler, createApp, expressOf, quiet } from './helpers/create-app';
import { expectEnvelope } from './helpers/expect-envelope';

const SECRET = 'sk_live_123';
const PROBLEM = 'application/problem+json; charset=utf-8';

function problemBody(status: number, detail: string, instance: string, title = detail): Record<string, unknown> {
  return { type: 'about:blank', title, status, detail, instance };
}

function throwing(value: unknown): Handler {
  return () => {
    throw value;
  };
}

const getterBomb = Object.defineProperty({}, 'status', {
  enumerable: true,
  get() {
    throw new Error(SECRET);
  },
});
const errorGetterBomb = Object.defineProperty(new Error('x'), 'expose', {
  get() {
    throw new Error(SECRET);
  },
});
const circularError = Object.assign(new Error(SECRET), { status: 500 }) as Error & { self?: unknown };
circularError.self = circularError;

const values: Record<string, unknown> = {
  string: SECRET,
  number: 42,
  'plain object': { message: SECRET, status: 400 },
  'object with throwing getters': getterBomb,
  'error with a throwing getter': errorGetterBomb,
  'circular error': circularError,
  symbol: Symbol(SECRET),
  bigint: 10n,
  array: [SECRET],
  'status 200': Object.assign(new Error(SECRET), { status: 200 }),
  'status 600': Object.assign(new Error(SECRET), { status: 600 }),
  'status as a string': Object.assign(new Error(SECRET), { status: '404' }),
  'status 404.5': Object.assign(new Error(SECRET), { status: 404.5 }),
};

describe.each(FLAVORS)('errorHandler() on %s', (flavor) => {
  quiet();
  const logs: LogEntry[] = [];
  const routes: Record<string, Handler> = {
    '/www-auth': throwing(createError(401, 'Token expired', { headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' } })),
    '/headers-without-status': throwing(Object.assign(new Error(SECRET), { headers: { 'X-Leak': 'yes' } })),
    '/invalid-headers': throwing(createError(401, 'Token expired', { headers: { '': 'x', 'X-Bad': 'a\nb', 'X-Ok': 'yes' } })),
    '/hidden-headers': throwing(createError(401, SECRET, { expose: false, headers: { 'WWW-Authenticate': 'Basic' } })),
    '/exposed-500': throwing(createError(500, 'Maintenance until 10:00', { expose: true })),
    '/status-code': throwing(Object.assign(new Error('Gone for good'), { statusCode: 410 })),
    '/status-wins': throwing(Object.assign(new Error('Teapot'), { status: 418, statusCode: 400 })),
    '/bad-status-falls-back': throwing(Object.assign(new Error('Conflict'), { status: 200, statusCode: 409 })),
    '/duck': throwing({ status: 404, statusCode: 404, expose: true, message: 'Duck-typed http error' }),
    '/hidden-props': throwing(createError(400, SECRET, { expose: false, code: 'E_SECRET', data: { secret: SECRET } })),
    '/empty-message': throwing(createError(400, '')),
    '/async-undefined': async () => {
      await Promise.resolve();
      throw undefined;
    },
    ...Object.fromEntries(Object.entries(values).map(([name, value]) => [`/value/${encodeURIComponent(name)}`, throwing(value)])),
  };
  const app = createApp(flavor, {
    mounts: [{ prefix: '/jsend', format: 'jsend', routes }],
    routes,
    errorHandler: { log: (entry) => logs.push(entry) },
  });

  beforeEach(() => {
    logs.length = 0;
  });

  it.each(Object.keys(values))('turns a thrown %s into a 500 that leaks nothing', async (name) => {
    const path = `/value/${encodeURIComponent(name)}`;
    const res = await request(app).get(path);
    expectEnvelope(res, {
      format: 'problem',
      kind: 'error',
      status: 500,
      contentType: PROBLEM,
      body: problemBody(500, 'Internal Server Error', path),
    });
    expect(res.text).not.toContain(SECRET);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({ status: 500, method: 'GET', path, requestId: res.headers['x-request-id'] });
  });

  it('turns an async rejection with undefined into a 500', async () => {
    const res = await request(app).get('/jsend/async-undefined');
    expectEnvelope(res, { format: 'jsend', kind: 'error', status: 500, body: { status: 'error', message: 'Internal Server Error' } });
  });

  it('sets err.headers when the status came from the error, exposed or not', async () => {
    const res = await request(app).get('/www-auth');
    expectEnvelope(res, {
      format: 'problem',
      kind: 'error',
      status: 401,
      contentType: PROBLEM,
      body: problemBody(401, 'Token expired', '/www-auth', 'Unauthorized'),
      headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
    });
    const hidden = await request(app).get('/hidden-headers');
    expectEnvelope(hidden, {
      format: 'problem',
      kind: 'error',
      status: 401,
      contentType: PROBLEM,
      body: problemBody(401, 'Unauthorized', '/hidden-headers'),
      headers: { 'WWW-Authenticate': 'Basic' },
    });
    expectEnvelope(await request(app).get('/invalid-headers'), {
      format: 'problem',
      kind: 'error',
      status: 401,
      contentType: PROBLEM,
      body: problemBody(401, 'Token expired', '/invalid-headers', 'Unauthorized'),
      headers: { 'X-Ok': 'yes' },
    });
    const none = await request(app).get('/headers-without-status');
    expect([none.status, none.headers['x-leak']]).toEqual([500, undefined]);
  });

  it('shows the message of a 5xx only when the error says expose: true', async () => {
    expectEnvelope(await request(app).get('/exposed-500'), {
      format: 'problem',
      kind: 'error',
      status: 500,
      contentType: PROBLEM,
      body: problemBody(500, 'Maintenance until 10:00', '/exposed-500', 'Internal Server Error'),
    });
  });

  it('takes status, else statusCode, each only within 400..599, and duck-typed http errors', async () => {
    const cases: [string, number, string, string][] = [
      ['/status-code', 410, 'Gone for good', 'Gone'],
      ['/status-wins', 418, 'Teapot', "I'm a Teapot"],
      ['/bad-status-falls-back', 409, 'Conflict', 'Conflict'],
      ['/duck', 404, 'Duck-typed http error', 'Not Found'],
      ['/empty-message', 400, 'Bad Request', 'Bad Request'],
    ];
    for (const [path, status, detail, title] of cases) {
      expectEnvelope(await request(app).get(path), {
        format: 'problem',
        kind: 'error',
        status,
        contentType: PROBLEM,
        body: problemBody(status, detail, path, title),
      });
    }
    expect(logs).toEqual([]);
  });

  it('never shows the code, data or message of an unexposed error', async () => {
    const res = await request(app).get('/hidden-props');
    expectEnvelope(res, {
      format: 'problem',
      kind: 'error',
      status: 400,
      contentType: PROBLEM,
      body: problemBody(400, 'Bad Request', '/hidden-props'),
    });
    expect(res.text).not.toMatch(/E_SECRET|sk_live/);
  });
});

describe.each(FLAVORS)('body-parser failures on %s', (flavor) => {
  const app = createApp(flavor, {
    mounts: [{ prefix: '/api', format: 'problem', routes: { '/echo': (req, res) => res.json(req.body ?? null) } }],
    limit: '100b',
  });
  const post = (body: string, type = 'application/json') => request(app).post('/api/echo').set('Content-Type', type).send(body);

  it('answers a malformed body with a fixed message and never echoes it', async () => {
    const res = await post(`{"card":"${SECRET}"`);
    expectEnvelope(res, {
      format: 'problem',
      kind: 'error',
      status: 400,
      contentType: PROBLEM,
      body: {
        ...problemBody(400, 'Malformed request body', '/api/echo', 'Bad Request'),
        errors: [{ detail: 'Malformed request body', pointer: '#/' }],
      },
    });
    expect(res.text).not.toContain(SECRET);
  });

  it('answers an oversized body with 413', async () => {
    const res = await post(JSON.stringify({ pad: 'x'.repeat(200) }));
    expectEnvelope(res, {
      format: 'problem',
      kind: 'error',
      status: 413,
      contentType: PROBLEM,
      body: problemBody(413, 'Request body too large', '/api/echo', 'Payload Too Large'),
    });
  });

  it('answers an unsupported charset with 415', async () => {
    const res = await post('{}', 'application/json; charset=klingon');
    expectEnvelope(res, {
      format: 'problem',
      kind: 'error',
      status: 415,
      contentType: PROBLEM,
      body: problemBody(415, 'Unsupported charset', '/api/echo', 'Unsupported Media Type'),
    });
    expect(res.text).not.toContain('klingon');
  });

  it('answers an unsupported content encoding with 415', async () => {
    const res = await request(app)
      .post('/api/echo')
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', 'x-secret-zip')
      .send('{}');
    expectEnvelope(res, {
      format: 'problem',
      kind: 'error',
      status: 415,
      contentType: PROBLEM,
      body: problemBody(415, 'Unsupported content encoding', '/api/echo', 'Unsupported Media Type'),
    });
    expect(res.text).not.toContain('x-secret-zip');
  });

  it('keeps a well-formed body working', async () => {
    const res = await post('{"a":1}');
    expectEnvelope(res, { format: 'problem', kind: 'success', status: 200, body: { a: 1 } });
  });
});

describe('errorHandler() options and edges', () => {
  quiet();

  it('gives a request it alone answers one id, in the header and the body, without writing req.id', async () => {
    const seen: unknown[] = [];
    const app = express();
    app.get('/x', (req, res) => {
      res.on('finish', () => seen.push('id' in req));
      throw createError(404, 'No such client');
    });
    app.use(errorHandler({ format: 'vbapi' }));
    const res = await request(app).get('/x').set('X-Request-Id', 'incoming-7');
    expect([res.status, res.headers['x-request-id']]).toEqual([404, 'incoming-7']);
    expect(res.text).toBe(
      '{"data":null,"error":{"type":"https://httpstatuses.com/404","title":"Not Found","status":404,"detail":"No such client","instance":"/x"},"debug":{"activityId":"incoming-7"}}',
    );
    expect(seen).toEqual([false]);
  });

  it('uses options.format for requests no envelope() claimed, with preset options', async () => {
    const app = createApp('express5', {
      mounts: [],
      routes: { '/x': throwing(createError(409, 'Taken')) },
      errorHandler: { format: 'wispanel', variant: 'lean' } as never,
    });
    expectEnvelope(await request(app).get('/x'), {
      format: 'wispanel',
      options: { variant: 'lean' },
      kind: 'error',
      status: 409,
      body: { success: false, error: 'Taken', code: 'CONFLICT' },
    });
  });

  it('adds the stack where the format has a slot when debug is on', async () => {
    const app = createApp('express5', {
      requestId: { generator: () => 'dbg' },
      mounts: [{ prefix: '/v', format: 'vbapi', routes: { '/crash': throwing(new Error('kaboom')) } }],
      routes: { '/crash': throwing(new Error('kaboom')) },
      errorHandler: { debug: true, log: false },
    });
    const vb = await request(app).get('/v/crash');
    expect(vb.status).toBe(500);
    expect(JSON.parse(vb.text)).toEqual({
      data: null,
      error: {
        type: 'https://httpstatuses.com/500',
        title: 'Internal Server Error',
        status: 500,
        detail: 'Internal Server Error',
        instance: '/v/crash',
      },
      debug: { activityId: 'dbg', stack: expect.stringMatching(/^Error: kaboom\n\s+at /) },
    });
    const pb = await request(app).get('/crash');
    expect(JSON.parse(pb.text)).toEqual({
      ...problemBody(500, 'Internal Server Error', '/crash'),
      stack: expect.stringMatching(/^Error: kaboom/),
    });
  });

  it('logs 5xx on stderr by default with the request id, and not 4xx', async () => {
    const app = createApp('express5', {
      requestId: { generator: () => 'req-42' },
      mounts: [],
      routes: { '/crash': throwing(new TypeError('undefined is not a function')), '/nf': throwing(createError(404)) },
    });
    await request(app).get('/crash?token=abc');
    await request(app).get('/nf');
    const lines = (process.stderr.write as unknown as jest.Mock).mock.calls.map(([line]) => String(line));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^express-envelope: request req-42 GET \/crash failed with 500: TypeError: undefined is not a function \| at /,
    );
    expect(lines[0]).not.toContain('token=abc');
    expect(lines[0].endsWith('\n') && lines[0].indexOf('\n') === lines[0].length - 1).toBe(true);
  });

  it('still answers when the logger itself throws', async () => {
    const app = createApp('express5', {
      mounts: [],
      routes: { '/crash': throwing(new Error('x')) },
      errorHandler: {
        log: () => {
          throw new Error('logger down');
        },
      },
    });
    const res = await request(app).get('/crash');
    expect(res.status).toBe(500);
  });

  it('hands the error to next() when the response has already started', async () => {
    const seen: unknown[] = [];
    const boom = new Error('after headers');
    const app = express();
    app.use(requestId());
    app.use(envelope('vbapi', { log: false }));
    app.get('/stream', (_req, res, next) => {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.write('partial');
      next(boom);
    });
    app.use(errorHandler({ log: false }));
    app.use((err: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      seen.push(err);
      res.end();
    });
    const res = await request(app).get('/stream');
    expect([res.status, res.text, seen]).toEqual([200, 'partial', [boom]]);
  });

  it('reports unknown options and bad values', () => {
    expect(() => errorHandler({ formt: 'jsend' } as never)).toThrow(expect.objectContaining({ code: 'ERR_ENVELOPE_UNKNOWN_OPTION' }));
    expect(() => errorHandler({ format: 'nope' } as never)).toThrow(expect.objectContaining({ code: 'ERR_ENVELOPE_UNKNOWN_FORMAT' }));
    expect(() => errorHandler({ debug: 1 as never })).toThrow(expect.objectContaining({ code: 'ERR_ENVELOPE_INVALID_OPTION' }));
  });
});

describe.each(EXPRESS_FLAVORS)('Express own async handling on %s', (flavor) => {
  quiet();
  it('renders errors from middleware before any envelope with the fallback format', async () => {
    const exp = expressOf(flavor);
    const app = exp();
    app.use(requestId({ generator: () => 'early' }));
    app.use(() => {
      throw createError(401, 'No token');
    });
    app.use(errorHandler({ format: 'statusOk' }));
    expectEnvelope(await request(app).get('/anything'), {
      format: 'statusOk',
      kind: 'error',
      status: 200,
      body: { status: 'error', code: 'unauthorized', text: 'No token' },
    });
  });
});
