// asyncErrors(express): rejected promises from handlers, middleware and error middleware reach
// errorHandler() on Express 4 as on Express 5, each handler runs once, and a second call is harmless.

import createError from 'http-errors';
import request from 'supertest';
import { EnvelopeError, asyncErrors, envelope, errorHandler, requestId } from '../index';
import { EXPRESS_FLAVORS, type Flavor, expressOf, quiet } from './helpers/create-app';
import { expectEnvelope } from './helpers/expect-envelope';

type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any
type Layer = { handle_request?: unknown; handle_error?: unknown; handleRequest?: unknown; handleError?: unknown };

function layerPrototype(express: Any): Layer {
  const router = express.Router();
  router.use(() => undefined);
  return router.stack[0].constructor.prototype as Layer;
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

/** The app of every case, with a call counter per handler. */
function build(flavor: Flavor) {
  const calls: Record<string, number> = {};
  const count = (name: string) => {
    calls[name] = (calls[name] ?? 0) + 1;
  };
  const app = expressOf(flavor)() as Any;
  app.use(requestId({ generator: () => 'rid' }));
  app.use(envelope('statusOk'));
  app.get('/sync-throw', () => {
    count('sync-throw');
    throw createError(404, 'No such client');
  });
  app.get('/async-throw', async () => {
    count('async-throw');
    await tick();
    throw createError(404, 'No such client');
  });
  app.get('/reject', () => {
    count('reject');
    return Promise.reject(createError(404, 'No such client'));
  });
  app.get('/reject-undefined', () => {
    count('reject-undefined');
    return Promise.reject(undefined);
  });
  app.get('/reject-zero', () => {
    count('reject-zero');
    return Promise.reject(0);
  });
  app.get('/thenable', () => {
    count('thenable');
    return { then: (_ok: unknown, fail: (e: unknown) => void) => fail(createError(409, 'Taken')) };
  });
  app.use('/async-mw', async () => {
    count('async-mw');
    await tick();
    throw createError(403, 'Not yours');
  });
  app.get('/async-mw', () => count('after-async-mw'));
  app.get('/async-error-mw', () => {
    count('async-error-mw route');
    throw new Error('database is down at 10.0.3.7');
  });
  app.use('/async-error-mw', async (_err: unknown, _req: unknown, _res: unknown, _next: unknown) => {
    count('async-error-mw');
    await tick();
    throw createError(400, 'Rewritten by error middleware');
  });
  app.get('/sync-error-mw', () => {
    count('sync-error-mw route');
    throw new Error('database is down at 10.0.3.7');
  });
  app.use('/sync-error-mw', (_err: unknown, _req: unknown, _res: unknown, _next: unknown) => {
    count('sync-error-mw');
    throw createError(400, 'Rewritten by error middleware');
  });
  app.get('/answered', async (_req: unknown, res: Any) => {
    count('answered');
    res.json({ ok: true });
    await tick();
    return 'resolved after answering';
  });
  // Return values that are not thenables are ignored, as Express 5 ignores them.
  app.get('/returns-value', (_req: unknown, res: Any) => {
    count('returns-value');
    res.json({ ok: 1 });
    return { then: 'not a function' };
  });
  app.get('/returns-number', (_req: unknown, res: Any) => {
    count('returns-number');
    res.json({ ok: 2 });
    return 42;
  });
  // An error middleware on a request without error is skipped; a plain one on an error path too.
  app.use('/skips', (_err: unknown, _req: unknown, _res: unknown, next: (err?: unknown) => void) => {
    count('error middleware without error');
    next();
  });
  app.get('/skips', () => {
    count('skips');
    return Promise.reject(createError(404, 'No such client'));
  });
  app.use('/skips', (_req: unknown, _res: unknown, next: (err?: unknown) => void) => {
    count('plain middleware on the error path');
    next();
  });
  // Param callbacks: Express 4 calls them from its router, not through a Layer.
  app.param('pid', (_req: unknown, _res: unknown, next: (err?: unknown) => void, value: string) => {
    count('param');
    if (value === 'sync') throw createError(404, 'No such client');
    if (value === 'thenable') return { then: (_ok: unknown, fail: (e: unknown) => void) => fail(createError(409, 'Taken')) };
    return (async () => {
      await tick();
      if (value === 'missing') throw createError(404, 'No such client');
      if (value === 'falsy') return Promise.reject(undefined);
      next();
    })();
  });
  app.param('pid', (_req: unknown, _res: unknown, next: (err?: unknown) => void) => {
    count('second param');
    next();
  });
  app.get('/param/:pid', (req: Any, res: Any) => {
    count('param route');
    res.json({ id: req.params.pid });
  });
  const router = expressOf(flavor).Router() as Any;
  router.param('rid', async () => {
    count('router param');
    await tick();
    throw createError(404, 'No such client');
  });
  router.get('/:rid', () => count('router param route'));
  app.use('/router-param', router);
  // Route-level all() and route() chains.
  app.all('/all', async () => {
    count('all');
    await tick();
    throw createError(404, 'No such client');
  });
  const chained = expressOf(flavor).Router() as Any;
  chained
    .route('/chain')
    .all(async (_req: unknown, _res: unknown, next: () => void) => {
      count('chain all');
      await tick();
      next();
    })
    .get(async () => {
      count('chain get');
      await tick();
      throw createError(404, 'No such client');
    })
    .post(() => count('chain post'));
  app.use(chained);
  app.route('/app-route').get(
    async (_req: unknown, _res: unknown, next: () => void) => {
      count('app route 1');
      next();
    },
    () => {
      count('app route 2');
      return Promise.reject(createError(409, 'Taken'));
    },
  );
  app.use(errorHandler());
  return { app, calls };
}

const NOT_FOUND = { status: 'error', code: 'not_found', text: 'No such client' };
const INTERNAL = { status: 'error', code: 'internal_server_error', text: 'Internal Server Error' };

describe.each(EXPRESS_FLAVORS)('asyncErrors() on %s', (flavor) => {
  quiet();
  asyncErrors(expressOf(flavor));
  const { app, calls } = build(flavor);
  beforeEach(() => {
    for (const key of Object.keys(calls)) delete calls[key];
  });

  it.each([
    // statusOk answers soft (business) errors with HTTP 200 and the code in the body.
    ['/sync-throw', 200, NOT_FOUND],
    ['/async-throw', 200, NOT_FOUND],
    ['/reject', 200, NOT_FOUND],
    ['/reject-undefined', 500, INTERNAL],
    ['/reject-zero', 500, INTERNAL],
    ['/thenable', 200, { status: 'error', code: 'conflict', text: 'Taken' }],
  ])('GET %s reaches errorHandler() once', async (path, status, body) => {
    const res = await request(app).get(path);
    expectEnvelope(res, { format: 'statusOk', kind: 'error', status, body, headers: { 'X-Request-Id': 'rid' } });
    expect(calls).toEqual({ [path.slice(1)]: 1 });
  });

  // The same expectations on Express 5 (its router's own behaviour) and on Express 4 with asyncErrors().
  it.each([
    ['/param/missing', 200, NOT_FOUND, { param: 1 }],
    ['/param/falsy', 500, INTERNAL, { param: 1 }],
    ['/param/sync', 200, NOT_FOUND, { param: 1 }],
    ['/param/thenable', 200, { status: 'error', code: 'conflict', text: 'Taken' }, { param: 1 }],
    ['/param/7', 200, { status: 'OK', id: '7' }, { param: 1, 'second param': 1, 'param route': 1 }],
    ['/router-param/7', 200, NOT_FOUND, { 'router param': 1 }],
    ['/all', 200, NOT_FOUND, { all: 1 }],
    ['/chain', 200, NOT_FOUND, { 'chain all': 1, 'chain get': 1 }],
    ['/app-route', 200, { status: 'error', code: 'conflict', text: 'Taken' }, { 'app route 1': 1, 'app route 2': 1 }],
  ])('GET %s: param callbacks, all() and route() chains forward rejections as Express 5 does', async (path, status, body, expected) => {
    const res = await request(app).get(path).timeout(5000);
    expectEnvelope(res, {
      format: 'statusOk',
      kind: status === 200 && body.status === 'OK' ? 'success' : 'error',
      status,
      body,
      headers: { 'X-Request-Id': 'rid' },
    });
    expect(calls).toEqual(expected);
  });

  it('forwards a rejection from async middleware, and the route after it does not run', async () => {
    const res = await request(app).get('/async-mw');
    expectEnvelope(res, {
      format: 'statusOk',
      kind: 'error',
      status: 200,
      body: { status: 'error', code: 'forbidden', text: 'Not yours' },
      headers: { 'X-Request-Id': 'rid' },
    });
    expect(calls).toEqual({ 'async-mw': 1 });
  });

  it('forwards a rejection from async error middleware', async () => {
    const res = await request(app).get('/async-error-mw');
    expectEnvelope(res, {
      format: 'statusOk',
      kind: 'error',
      status: 200,
      body: { status: 'error', code: 'bad_request', text: 'Rewritten by error middleware' },
      headers: { 'X-Request-Id': 'rid' },
    });
    expect(calls).toEqual({ 'async-error-mw route': 1, 'async-error-mw': 1 });
  });

  it('forwards a synchronous throw from error middleware', async () => {
    const res = await request(app).get('/sync-error-mw');
    expectEnvelope(res, {
      format: 'statusOk',
      kind: 'error',
      status: 200,
      body: { status: 'error', code: 'bad_request', text: 'Rewritten by error middleware' },
      headers: { 'X-Request-Id': 'rid' },
    });
    expect(calls).toEqual({ 'sync-error-mw route': 1, 'sync-error-mw': 1 });
  });

  it('leaves a handler that answers and then resolves untouched', async () => {
    const res = await request(app).get('/answered');
    expectEnvelope(res, {
      format: 'statusOk',
      kind: 'success',
      status: 200,
      body: { status: 'OK', ok: true },
      headers: { 'X-Request-Id': 'rid' },
    });
    expect(calls).toEqual({ answered: 1 });
  });

  it.each([
    ['/returns-value', { status: 'OK', ok: 1 }],
    ['/returns-number', { status: 'OK', ok: 2 }],
  ])('ignores a return value of %s that is not a thenable', async (path, body) => {
    const res = await request(app).get(path);
    expectEnvelope(res, { format: 'statusOk', kind: 'success', status: 200, body, headers: { 'X-Request-Id': 'rid' } });
    expect(calls).toEqual({ [path.slice(1)]: 1 });
  });

  it('skips error middleware on a request without error, and plain middleware on an error path', async () => {
    const res = await request(app).get('/skips');
    expectEnvelope(res, { format: 'statusOk', kind: 'error', status: 200, body: NOT_FOUND, headers: { 'X-Request-Id': 'rid' } });
    expect(calls).toEqual({ skips: 1 });
  });

  it('is harmless when called again, and returns the module it was given', async () => {
    const express = expressOf(flavor);
    const before = { ...layerPrototype(express) };
    const { handle_request, handle_error, handleRequest, handleError } = layerPrototype(express);
    expect(asyncErrors(express)).toBe(express);
    expect(asyncErrors(express)).toBe(express);
    const after = layerPrototype(express);
    expect([after.handle_request, after.handle_error, after.handleRequest, after.handleError]).toEqual([
      handle_request,
      handle_error,
      handleRequest,
      handleError,
    ]);
    expect({ ...after }).toEqual(before);
    const res = await request(app).get('/reject');
    expectEnvelope(res, { format: 'statusOk', kind: 'error', status: 200, body: NOT_FOUND, headers: { 'X-Request-Id': 'rid' } });
    expect(calls).toEqual({ reject: 1 });
  });
});

describe('what asyncErrors() changes', () => {
  it('changes nothing on Express 5, whose router handles promises itself', () => {
    let fresh: Any;
    jest.isolateModules(() => {
      fresh = require('express'); // eslint-disable-line @typescript-eslint/no-require-imports
    });
    const proto = layerPrototype(fresh);
    const snapshot = Object.getOwnPropertyNames(proto).map((name) => [name, Object.getOwnPropertyDescriptor(proto, name)?.value]);
    const symbols = Object.getOwnPropertySymbols(proto);
    asyncErrors(fresh);
    expect(Object.getOwnPropertyNames(proto).map((name) => [name, Object.getOwnPropertyDescriptor(proto, name)?.value])).toEqual(snapshot);
    expect(Object.getOwnPropertySymbols(proto)).toEqual(symbols);
    expect(typeof proto.handleRequest).toBe('function');
  });

  it('patches only the Layer of the Express 4 copy it is given', () => {
    let a: Any;
    let b: Any;
    jest.isolateModules(() => {
      a = require('express4'); // eslint-disable-line @typescript-eslint/no-require-imports
    });
    jest.isolateModules(() => {
      b = require('express4'); // eslint-disable-line @typescript-eslint/no-require-imports
    });
    const original = layerPrototype(b).handle_request;
    asyncErrors(a);
    expect(layerPrototype(a).handle_request).not.toBe(original);
    expect(layerPrototype(b).handle_request).toBe(original);
  });

  it('covers param callbacks registered before asyncErrors() was called, and leaves no rejection unhandled', async () => {
    let express4: Any;
    jest.isolateModules(() => {
      express4 = require('express4'); // eslint-disable-line @typescript-eslint/no-require-imports
    });
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    process.on('unhandledRejection', onRejection);
    try {
      const app = express4();
      app.use(requestId({ generator: () => 'rid' }));
      app.use(envelope('statusOk'));
      let runs = 0;
      const lookup = async (_req: unknown, _res: unknown, _next: unknown, id: string) => {
        runs++;
        await tick();
        throw createError(404, `No client ${id}`);
      };
      app.param('id', lookup);
      app.get('/clients/:id', () => undefined);
      app.use(errorHandler());
      asyncErrors(express4);
      for (let i = 0; i < 2; i++) {
        const res = await request(app).get('/clients/9').timeout(5000);
        expectEnvelope(res, {
          format: 'statusOk',
          kind: 'error',
          status: 200,
          body: { status: 'error', code: 'not_found', text: 'No client 9' },
          headers: { 'X-Request-Id': 'rid' },
        });
      }
      expect(runs).toBe(2);
      // The router's list holds one promise-aware callback, made once.
      expect(app._router.params.id).toHaveLength(1);
      await tick();
      expect(rejections).toEqual([]);
    } finally {
      process.off('unhandledRejection', onRejection);
    }
  });

  it('throws ERR_ENVELOPE_NOT_EXPRESS for something that is not the express module', () => {
    for (const value of [undefined, null, {}, () => undefined, { Router: () => ({ use: () => undefined }) }]) {
      expect(() => asyncErrors(value)).toThrow(EnvelopeError);
    }
    expect(() => asyncErrors({})).toThrow(expect.objectContaining({ code: 'ERR_ENVELOPE_NOT_EXPRESS' }));
  });

  // The route handles its own rejection too (so nothing is unhandled), and answers by itself a turn
  // later only if nobody else has: without asyncErrors() nobody has.
  it.each([false, true])('on Express 4 with asyncErrors() %s, a rejected promise reaches the envelope or not', async (patched) => {
    let express4: Any;
    jest.isolateModules(() => {
      express4 = require('express4'); // eslint-disable-line @typescript-eslint/no-require-imports
    });
    if (patched) asyncErrors(express4);
    const app = express4();
    app.use(requestId({ generator: () => 'rid' }));
    app.use(envelope('statusOk'));
    let calls = 0;
    app.get('/', (_req: unknown, res: Any) => {
      calls++;
      const rejected = Promise.reject(createError(404, 'No such client'));
      rejected.catch(() =>
        setImmediate(() => {
          if (!res.headersSent) res.end('unanswered by the envelope');
        }),
      );
      return rejected;
    });
    app.use(errorHandler());
    const res = await request(app).get('/');
    if (patched) {
      expectEnvelope(res, { format: 'statusOk', kind: 'error', status: 200, body: NOT_FOUND, headers: { 'X-Request-Id': 'rid' } });
    } else {
      expect({ status: res.status, text: res.text, nosniff: res.headers['x-content-type-options'] }).toEqual({
        status: 200,
        text: 'unanswered by the envelope',
        nosniff: undefined,
      });
    }
    expect(calls).toBe(1);
  });
});
