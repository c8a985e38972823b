// envelope()'s scope: it reaches exactly the routes it was mounted for, on Express 5 and Express 4,
// whatever requests came first, and changes nothing on the express module every app shares.

import createError from 'http-errors';
import request from 'supertest';
import { envelope, errorHandler, requestId } from '../../index';
import { EXPRESS_FLAVORS, expressOf, quiet } from '../helpers/create-app';
import { expectEnvelope } from '../helpers/expect-envelope';

const INTERNAL = (instance: string): string =>
  `{"type":"about:blank","title":"Internal Server Error","status":500,"detail":"Internal Server Error","instance":"${instance}"}`;

describe.each(EXPRESS_FLAVORS)('envelope() scope on %s', (flavor) => {
  quiet();
  const exp = expressOf(flavor);

  /** An app with an enveloped router at /api and routes outside it. */
  function appWithOutsideRoutes() {
    const app = exp();
    app.use(requestId({ generator: () => 'id-s' }));
    app.use('/api', envelope('jsend'));
    app.get('/api/ok', (_req, res) => {
      res.json({ a: 1 });
    });
    app.get('/outside-success', (_req, res) => {
      res.success({ a: 1 });
    });
    app.get('/outside-json', (_req, res) => {
      res.json({ a: 1 });
    });
    app.use(errorHandler());
    return app;
  }

  it('answers res.success() outside every envelope the same way before and after an enveloped request', async () => {
    const before = appWithOutsideRoutes();
    const first = await request(before).get('/outside-success');
    await request(before).get('/api/ok');
    const second = await request(before).get('/outside-success');
    for (const res of [first, second]) {
      expect([res.status, res.headers['content-type'], res.text]).toEqual([
        500,
        'application/problem+json; charset=utf-8',
        INTERNAL('/outside-success'),
      ]);
    }
    // And in the other order, on a fresh app.
    const after = appWithOutsideRoutes();
    await request(after).get('/api/ok');
    const third = await request(after).get('/outside-success');
    expect([third.status, third.text]).toEqual([500, INTERNAL('/outside-success')]);
  });

  it('leaves res.json() outside every envelope as Express sends it, before and after an enveloped request', async () => {
    const app = appWithOutsideRoutes();
    const first = await request(app).get('/outside-json');
    const enveloped = await request(app).get('/api/ok');
    const second = await request(app).get('/outside-json');
    expect(enveloped.text).toBe('{"status":"success","data":{"a":1}}');
    for (const res of [first, second]) {
      expect([res.status, res.headers['content-type'], res.text]).toEqual([200, 'application/json; charset=utf-8', '{"a":1}']);
    }
  });

  it('never touches the response prototype that every app of the process shares', async () => {
    const shared = exp.response as unknown as Record<string, unknown>;
    const json = shared.json;
    const app = appWithOutsideRoutes();
    await request(app).get('/api/ok');
    expect(shared.json).toBe(json);
    expect(['success', 'info'].filter((name) => name in shared)).toEqual([]);
    // Another app of the same process, which never used envelope(), is untouched.
    const other = exp();
    other.get('/', (_req, res) => {
      res.json({ b: typeof (res as unknown as Record<string, unknown>).success });
    });
    const res = await request(other).get('/');
    expect(res.text).toBe('{"b":"undefined"}');
  });

  it('gives a request that falls out of an enveloped sub-app the envelope of the app that answers it', async () => {
    const sub = exp();
    sub.use(envelope('vbapi'));
    sub.get('/inside', (_req, res) => {
      res.json({ in: true });
    });
    const bare = exp();
    bare.use(requestId({ generator: () => 'id-f' }));
    bare.use('/x', sub);
    bare.get('/x/after', (_req, res) => {
      res.json({ after: true });
    });
    bare.use(errorHandler());
    expect((await request(bare).get('/x/inside')).text).toBe('{"data":{"in":true},"error":null,"debug":{"activityId":"id-f"}}');
    // The parent has no envelope: Express's own body.
    const after = await request(bare).get('/x/after');
    expect([after.status, after.text]).toEqual([200, '{"after":true}']);

    // The parent has its own envelope: the parent's.
    const sub2 = exp();
    sub2.use(envelope('vbapi'));
    const parent = exp();
    parent.use(requestId({ generator: () => 'id-p' }));
    parent.use(envelope('statusOk'));
    parent.use('/x', sub2);
    parent.get('/x/after', (_req, res) => {
      res.json({ after: true });
    });
    expectEnvelope(await request(parent).get('/x/after'), {
      format: 'statusOk',
      kind: 'success',
      status: 200,
      body: { status: 'OK', after: true },
    });
  });

  it("keeps an enveloped sub-app's envelope for its errors all the way to the app-level errorHandler()", async () => {
    const sub = exp();
    sub.use(envelope('wispanel'));
    sub.get('/missing', () => {
      throw createError(404, 'Client not found');
    });
    const app = exp();
    app.use(requestId({ generator: () => 'id-e' }));
    app.use('/x', sub);
    app.use(errorHandler());
    expectEnvelope(await request(app).get('/x/missing'), {
      format: 'wispanel',
      kind: 'error',
      status: 404,
      body: { success: false, code: 'NOT_FOUND', error: 'Client not found', message: 'Client not found', status: 404 },
    });
  });

  it("keeps an enveloped router's envelope for its errors, and for every response after it (documented rule)", async () => {
    const router = exp.Router();
    router.use(envelope('jsend'));
    router.get('/boom', () => {
      throw createError(409, 'Taken');
    });
    const app = exp();
    app.use(requestId({ generator: () => 'id-r' }));
    app.use(router);
    app.get('/later', (_req, res) => {
      res.json({ later: true });
    });
    app.use(errorHandler());
    expectEnvelope(await request(app).get('/boom'), {
      format: 'jsend',
      kind: 'error',
      status: 409,
      body: { status: 'fail', data: { message: 'Taken' } },
    });
    // A Router has no exit Express lets middleware see: the envelope applies to what follows it.
    expect((await request(app).get('/later')).text).toBe('{"status":"success","data":{"later":true}}');
    // Mounted on a path, it reaches only that path.
    const scoped = exp();
    const inner = exp.Router();
    inner.use(envelope('jsend'));
    scoped.use('/api', inner);
    scoped.get('/later', (_req, res) => {
      res.json({ later: true });
    });
    expect((await request(scoped).get('/later')).text).toBe('{"later":true}');
  });
});

describe('envelope() scope on express4: arguments reach Express by count', () => {
  const express4 = expressOf('express4');

  function app(withEnvelope: boolean) {
    const a = express4();
    if (withEnvelope) {
      a.use('/api', envelope('jsend'));
      a.get('/api/ok', (_req, res) => {
        res.json({ ok: true });
      });
    }
    a.get('/legacy-undefined', (_req, res) => {
      (res.json as unknown as (status: number, body: unknown) => void)(201, undefined);
    });
    a.get('/legacy-body', (_req, res) => {
      (res.json as unknown as (status: number, body: unknown) => void)(202, { legacy: true });
    });
    return a;
  }

  it('sends res.json(201, undefined) and res.json(202, body) exactly as Express 4 does', async () => {
    const plain = app(false);
    const enveloped = app(true);
    await request(enveloped).get('/api/ok');
    for (const path of ['/legacy-undefined', '/legacy-body']) {
      const [want, got] = [await request(plain).get(path), await request(enveloped).get(path)];
      expect([got.status, got.headers['content-type'], got.text]).toEqual([want.status, want.headers['content-type'], want.text]);
    }
    const res = await request(enveloped).get('/legacy-undefined');
    expect([res.status, res.text]).toEqual([201, '']);
  });
});

describe.each(EXPRESS_FLAVORS)('req.id on %s', (flavor) => {
  const exp = expressOf(flavor);

  it('is a plain own property of the request, in sub-apps too, absent before the id is given, never on express.request', async () => {
    const sub = exp();
    sub.get('/inner', (req, res) => {
      res.json({ inner: req.id });
    });
    const app = exp();
    app.get('/early', (req, res) => {
      res.json({ has: 'id' in req });
    });
    app.use(requestId({ generator: () => 'made-1' }));
    app.use('/sub', sub);
    app.get('/read', (req, res) => {
      const enumerated: string[] = [];
      for (const key in req) enumerated.push(key);
      res.json({
        id: req.id,
        own: Object.prototype.hasOwnProperty.call(req, 'id'),
        listed: Object.keys(req).includes('id'),
        enumerated: enumerated.includes('id'),
      });
    });
    app.get(
      '/assign',
      (req, _res, next) => {
        req.id = 'assigned-2';
        next();
      },
      (req, res) => {
        res.json({ id: req.id });
      },
    );
    expect((await request(app).get('/early')).text).toBe('{"has":false}');
    expect((await request(app).get('/read')).text).toBe('{"id":"made-1","own":true,"listed":true,"enumerated":true}');
    expect((await request(app).get('/assign')).text).toBe('{"id":"assigned-2"}');
    expect((await request(app).get('/sub/inner')).text).toBe('{"inner":"made-1"}');
    expect(Object.prototype.hasOwnProperty.call(exp.request, 'id')).toBe(false);
    // Another app of the process, without requestId(), has no req.id at all.
    const other = exp();
    other.get('/', (req, res) => {
      res.json({ has: 'id' in req });
    });
    expect((await request(other).get('/')).text).toBe('{"has":false}');
  });
});
