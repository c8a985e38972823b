// envelope(): what it wraps, what it leaves alone, and what it does with payloads it cannot send.

import type express from 'express';
import request from 'supertest';
import { type LogEntry, currentRequestId, defineFormat, envelope, errorHandler, requestId } from '../index';
import { EXPRESS_FLAVORS, FLAVORS, type Handler, createApp, expressOf, quiet } from './helpers/create-app';
import { UUID_V4, expectEnvelope } from './helpers/expect-envelope';

const vbapiOk = (data: unknown, id: string) => ({ data, error: null, debug: { activityId: id } });

describe.each(FLAVORS)('envelope() on %s', (flavor) => {
  quiet();

  const circular: Record<string, unknown> = { name: 'loop' };
  circular.self = circular;
  const logs: LogEntry[] = [];
  const routes: Record<string, Handler> = {
    '/text': (_req, res) => {
      res.setHeader('Content-Type', 'text/plain; charset=utf-8');
      res.end('plain text');
    },
    '/no-content': (_req, res) => {
      res.statusCode = 204;
      res.json({ ignored: true });
    },
    '/circular': (_req, res) => res.json(circular),
    '/throwing-tojson': (_req, res) =>
      res.json({
        toJSON() {
          throw new Error('toJSON exploded');
        },
      }),
    '/big': (_req, res) => res.json({ id: 2n ** 63n - 1n, small: -5n, list: [1n] }),
    '/string-500': (_req, res) => {
      res.statusCode = 500;
      res.json('Upstream timed out');
    },
    '/empty-error': (_req, res) => {
      res.statusCode = 422;
      res.json(null);
    },
    '/coded-json-error': (_req, res) => {
      res.statusCode = 403;
      res.json({ message: 'Plan expired', code: 'PLAN_EXPIRED', action: 'renew' });
    },
    '/id': (req, res) => res.json({ id: req.id }),
    '/context': async (_req, res) => {
      await new Promise((resolve) => setImmediate(resolve));
      res.json({ id: currentRequestId() });
    },
  };

  const app = createApp(flavor, {
    mounts: [
      { prefix: '/api', format: 'vbapi', options: { log: (entry: LogEntry) => logs.push(entry) }, routes },
      { prefix: '/wsr', format: 'webServiceReturn', routes },
      { prefix: '/jsend', format: 'jsend', routes },
      { prefix: '/quiet', format: 'jsend', options: { log: false }, routes },
      { prefix: '/lean', format: 'wispanel', options: { variant: 'lean' }, routes },
    ],
  });

  beforeEach(() => {
    logs.length = 0;
  });

  it('leaves responses that are not res.json() alone', async () => {
    const res = await request(app).get('/api/text');
    expect([res.status, res.headers['content-type'], res.text]).toEqual([200, 'text/plain; charset=utf-8', 'plain text']);
  });

  it('leaves 204 responses without a body', async () => {
    const res = await request(app).get('/api/no-content');
    expect([res.status, res.text]).toEqual([204, '']);
  });

  it('renders the status title when res.json() sends no message for an error status', async () => {
    expectEnvelope(await request(app).get('/jsend/empty-error'), {
      format: 'jsend',
      kind: 'error',
      status: 422,
      body: { status: 'fail', data: { message: 'Unprocessable Entity' } },
    });
  });

  it('takes a string body as the message of an error status, even a 5xx the handler chose', async () => {
    expectEnvelope(await request(app).get('/jsend/string-500'), {
      format: 'jsend',
      kind: 'error',
      status: 500,
      body: { status: 'error', message: 'Upstream timed out' },
    });
  });

  it('takes message, code and action from an object sent with an error status', async () => {
    expectEnvelope(await request(app).get('/lean/coded-json-error'), {
      format: 'wispanel',
      options: { variant: 'lean' },
      kind: 'error',
      status: 403,
      body: { success: false, error: 'Plan expired', code: 'PLAN_EXPIRED' },
    });
  });

  it('turns a circular payload into a logged 500 in the same format', async () => {
    const res = await request(app).get('/api/circular');
    expectEnvelope(res, {
      format: 'vbapi',
      kind: 'error',
      status: 500,
      body: {
        data: null,
        error: {
          type: 'https://httpstatuses.com/500',
          title: 'Internal Server Error',
          status: 500,
          detail: 'Internal Server Error',
          instance: '/api/circular',
        },
        debug: { activityId: res.headers['x-request-id'] },
      },
    });
    expect(logs).toEqual([
      {
        requestId: res.headers['x-request-id'],
        status: 500,
        method: 'GET',
        path: '/api/circular',
        error: expect.objectContaining({ code: 'ERR_ENVELOPE_UNSERIALIZABLE' }),
      },
    ]);
  });

  it('turns a throwing toJSON into a 500 without leaking its message', async () => {
    const res = await request(app).get('/wsr/throwing-tojson');
    expectEnvelope(res, {
      format: 'webServiceReturn',
      kind: 'error',
      status: 500,
      body: {
        WebServiceReturn: { Status: 'wrsFailed', ErrorCode: 'WSR-500', Message: 'Internal Server Error', Actor: '', ReturnQuestion: null },
      },
    });
    expect(res.text).not.toContain('exploded');
    expect(process.stderr.write).toHaveBeenCalledWith(expect.stringContaining('ERR_ENVELOPE_UNSERIALIZABLE'));
  });

  it('logs nothing when log is false', async () => {
    const res = await request(app).get('/quiet/circular');
    expect([res.status, res.text]).toEqual([500, '{"status":"error","message":"Internal Server Error"}']);
    expect(process.stderr.write).not.toHaveBeenCalled();
  });

  it('writes BigInt values as exact JSON integers', async () => {
    const res = await request(app).get('/jsend/big');
    expectEnvelope(res, {
      format: 'jsend',
      kind: 'success',
      status: 200,
      body: '{"status":"success","data":{"id":9223372036854775807,"small":-5,"list":[1]}}',
    });
  });

  it('announces the id it made when requestId() is not mounted', async () => {
    const bare = createApp(flavor, { requestId: false, mounts: [{ prefix: '/api', format: 'vbapi', routes }] });
    for (const path of ['/api/id', '/api/context']) {
      const res = await request(bare).get(path);
      const id = res.headers['x-request-id'];
      expect(id).toMatch(UUID_V4);
      expectEnvelope(res, { format: 'vbapi', kind: 'success', status: 200, body: vbapiOk({ id }, id) });
    }
  });

  it('answers HEAD with the headers of GET and no body', async () => {
    const res = await request(app).head('/api/id').set('X-Request-Id', 'fixed-id');
    const get = await request(app).get('/api/id').set('X-Request-Id', 'fixed-id');
    expect([res.status, res.text, res.headers['content-length'], res.headers['content-type']]).toEqual([
      200,
      undefined,
      get.headers['content-length'],
      'application/json; charset=utf-8',
    ]);
  });
});

describe.each(EXPRESS_FLAVORS)('envelope() with Express features on %s', (flavor) => {
  quiet();

  const app = createApp(flavor, {
    mounts: [
      {
        prefix: '/api',
        format: 'vbapi',
        routes: {
          '/send-object': (_req, res) => (res as unknown as express.Response).send({ via: 'send' }),
          '/send-string': (_req, res) => (res as unknown as express.Response).send('<p>html</p>'),
          '/buffer': (_req, res) => (res as unknown as express.Response).send(Buffer.from('raw')),
          '/jsonp': (_req, res) => (res as unknown as express.Response).jsonp({ padded: true }),
          '/file': (_req, res) => (res as unknown as express.Response).sendFile(__filename),
          '/not-modified': (_req, res) => (res as unknown as express.Response).status(304).json({ gone: true }),
        },
      },
    ],
  });

  it('wraps res.send(object), which Express routes through res.json', async () => {
    const res = await request(app).get('/api/send-object');
    expectEnvelope(res, { format: 'vbapi', kind: 'success', status: 200, body: vbapiOk({ via: 'send' }, res.headers['x-request-id']) });
  });

  it('never touches strings, Buffers, files or JSONP', async () => {
    const html = await request(app).get('/api/send-string');
    expect([html.headers['content-type'], html.text]).toEqual(['text/html; charset=utf-8', '<p>html</p>']);
    const buffer = await request(app).get('/api/buffer').buffer(true);
    expect([buffer.headers['content-type'], String(buffer.body)]).toEqual(['application/octet-stream', 'raw']);
    const jsonp = await request(app).get('/api/jsonp?callback=cb');
    expect(jsonp.text).toBe('/**/ typeof cb === \'function\' && cb({"padded":true});');
    const file = await request(app).get('/api/file');
    expect(file.status).toBe(200);
    expect(String(file.text ?? file.body)).toContain('never touches strings, Buffers, files or JSONP');
  });

  it('lets Express add an ETag to successes, and writes errors, which no cache should keep, without one', async () => {
    const ok = await request(app).get('/api/send-object');
    const missing = await request(app).get('/api/missing');
    expect([ok.headers.etag, missing.status, missing.headers.etag, missing.headers['content-length']]).toEqual([
      expect.stringMatching(/^W\/"/),
      404,
      undefined,
      String(Buffer.byteLength(missing.text)),
    ]);
  });

  it('sends 304 without a body', async () => {
    const res = await request(app).get('/api/not-modified');
    expect([res.status, res.text]).toEqual([304, '']);
  });

  it('honours the json spaces, json replacer and json escape settings', async () => {
    const exp = expressOf(flavor);
    const app2 = exp();
    app2.set('json spaces', 2);
    app2.set('json escape', true);
    app2.set('json replacer', (key: string, value: unknown) => (key === 'secret' ? undefined : value));
    app2.use(requestId({ generator: () => 'id-1' }));
    app2.use(envelope('jsend'));
    app2.get('/', (_req, res) => {
      res.json({ html: '<b>&</b>', secret: 'x', big: 1n });
    });
    app2.use(errorHandler());
    const res = await request(app2).get('/');
    expect(res.text).toBe(
      '{\n  "status": "success",\n  "data": {\n    "html": "\\u003cb\\u003e\\u0026\\u003c/b\\u003e",\n    "big": 1\n  }\n}',
    );
  });

  it('wraps responses of a mounted sub-app, and leaves routes outside every envelope as Express sends them', async () => {
    const exp = expressOf(flavor);
    const app2 = exp();
    const sub = exp();
    sub.get('/x', (_req, res) => {
      res.json({ from: 'sub' });
    });
    app2.use(requestId({ generator: () => 'id-3' }));
    app2.get('/plain', (_req, res) => {
      res.json({ plain: true });
    });
    app2.get('/plain-success', (_req, res) => {
      res.success({ plain: true });
    });
    app2.use('/api', envelope('jsend'), sub);
    app2.use(errorHandler());
    expect((await request(app2).get('/api/x')).text).toBe('{"status":"success","data":{"from":"sub"}}');
    const plain = await request(app2).get('/plain');
    expect([plain.status, plain.headers['content-type'], plain.text]).toEqual([200, 'application/json; charset=utf-8', '{"plain":true}']);
    // Outside every envelope, res.success() is a programming error, rendered by errorHandler() as a 500.
    const outside = await request(app2).get('/plain-success');
    expect([outside.status, outside.text]).toEqual([
      500,
      '{"type":"about:blank","title":"Internal Server Error","status":500,"detail":"Internal Server Error","instance":"/plain-success"}',
    ]);
    if (flavor === 'express4') {
      // Express 4's deprecated res.json(status, body) still works outside every envelope.
      const legacy = exp();
      legacy.get('/', (_req, res) => {
        (res.json as unknown as (status: number, body: unknown) => void)(202, { legacy: true });
      });
      const res = await request(legacy).get('/');
      expect([res.status, res.text]).toEqual([202, '{"legacy":true}']);
    }
  });

  it('lets an inner envelope() override the outer one', async () => {
    const exp = expressOf(flavor);
    const app2 = exp();
    const inner = exp.Router();
    inner.use(envelope('statusOk'));
    inner.get('/x', (_req, res) => {
      res.json({ n: 1 });
    });
    app2.use(requestId({ generator: () => 'id-2' }));
    app2.use(envelope('jsend'));
    app2.use('/inner', inner);
    app2.get('/outer', (_req, res) => {
      res.json({ n: 2 });
    });
    app2.use(errorHandler());
    expect((await request(app2).get('/inner/x')).text).toBe('{"status":"OK","n":1}');
    expect((await request(app2).get('/outer')).text).toBe('{"status":"success","data":{"n":2}}');
  });
});

describe('envelope() configuration', () => {
  it('reports unknown options, formats and bad option values when it is made', () => {
    expect(() => envelope('vbapi', { lgo: false } as never)).toThrow(
      expect.objectContaining({ code: 'ERR_ENVELOPE_UNKNOWN_OPTION', message: expect.stringContaining('"lgo"') }),
    );
    expect(() => envelope('vbapi', { variant: 'portal' } as never)).toThrow(
      expect.objectContaining({ code: 'ERR_ENVELOPE_UNKNOWN_OPTION' }),
    );
    expect(() => envelope('vbap' as never)).toThrow(expect.objectContaining({ code: 'ERR_ENVELOPE_UNKNOWN_FORMAT' }));
    expect(() => envelope({ name: 'x' } as never)).toThrow(expect.objectContaining({ code: 'ERR_ENVELOPE_INVALID_FORMAT' }));
    expect(() => envelope('vbapi', { debug: 'yes' } as never)).toThrow(expect.objectContaining({ code: 'ERR_ENVELOPE_INVALID_OPTION' }));
    expect(() => envelope('vbapi', { log: 'stderr' } as never)).toThrow(expect.objectContaining({ code: 'ERR_ENVELOPE_INVALID_OPTION' }));
    expect(() => envelope('vbapi', null as never)).toThrow(expect.objectContaining({ code: 'ERR_ENVELOPE_INVALID_OPTION' }));
  });

  it('renders with a custom format from defineFormat()', async () => {
    const mine = defineFormat({
      name: 'mine',
      render: (outcome, ctx) =>
        outcome.kind === 'error'
          ? { status: outcome.status, body: { failed: outcome.message, ref: ctx.requestId } }
          : { status: outcome.status, body: { result: outcome.data } },
      schemas: () => ({
        success: { type: 'object', properties: { result: {} }, required: ['result'] },
        error: { type: 'object', properties: { failed: { type: 'string' }, ref: { type: 'string' } }, required: ['failed', 'ref'] },
      }),
    });
    const app = createApp('express5', {
      requestId: { generator: () => 'ref-1' },
      mounts: [{ prefix: '/m', format: mine, routes: { '/ok': (_req, res) => res.json([1]) } }],
    });
    expectEnvelope(await request(app).get('/m/ok'), { format: mine, kind: 'success', status: 200, body: { result: [1] } });
    expectEnvelope(await request(app).get('/m/missing'), {
      format: mine,
      kind: 'error',
      status: 404,
      body: { failed: 'Not Found', ref: 'ref-1' },
    });
  });

  it('falls back to problem details when a custom format cannot render its own 500', async () => {
    const broken = defineFormat({
      name: 'broken',
      render: () => {
        throw new Error('render bug');
      },
      schemas: () => ({ success: {}, error: {} }),
    });
    const app = createApp('express5', {
      requestId: { generator: () => 'ref-2' },
      mounts: [{ prefix: '/b', format: broken, options: { log: false }, routes: { '/ok': (_req, res) => res.json(1) } }],
    });
    expectEnvelope(await request(app).get('/b/ok'), {
      format: 'problem',
      kind: 'error',
      status: 500,
      contentType: 'application/problem+json; charset=utf-8',
      body: { type: 'about:blank', title: 'Internal Server Error', status: 500, detail: 'Internal Server Error', instance: '/b/ok' },
    });
  });
});
