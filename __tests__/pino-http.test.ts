// pino-http as a neighbour, with the real pino and pino-http: the same request id, a log level from
// the rendered outcome (so an always-200 failure is not logged as a success), and a mixin that adds
// currentRequestId() to the app's own lines.

import { Writable } from 'node:stream';
import express from 'express';
import createError from 'http-errors';
import pino from 'pino';
import request from 'supertest';
import { currentRequestId, envelope, errorHandler, requestId, responseOutcome } from '../index';

// Required, not imported: pino-http's types give every http.IncomingMessage a non-optional `id`
// for the whole program, which would retype this package's own requests.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const pinoHttp = require('pino-http') as (options: Record<string, unknown>) => express.RequestHandler;

function collect(): { stream: Writable; lines: Record<string, unknown>[]; next(): Promise<Record<string, unknown>> } {
  const lines: Record<string, unknown>[] = [];
  let waiting: (() => void) | undefined;
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      waiting?.();
      done();
    },
  });
  let read = 0;
  const next = async (): Promise<Record<string, unknown>> => {
    while (lines.length <= read) await new Promise<void>((resolve) => (waiting = resolve));
    return lines[read++];
  };
  return { stream, lines, next };
}

function build(destination: Writable) {
  // The app's logger: the mixin stamps every line written inside a request with its id.
  const logger = pino(
    {
      base: null,
      timestamp: false,
      mixin() {
        const id = currentRequestId();
        return id === undefined ? {} : { requestId: id };
      },
    },
    destination,
  );
  const app = express();
  app.use(requestId());
  app.use(
    pinoHttp({
      logger,
      // The envelope's id (req.id, set by requestId() above) is pino-http's id too.
      genReqId: (req: express.Request) => req.id,
      // By the outcome the envelope rendered, not by the status alone.
      customLogLevel: (_req: express.Request, res: express.Response, err?: Error) =>
        err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 || responseOutcome(res) === 'error' ? 'warn' : 'info',
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    }),
  );
  app.use('/api', envelope('webServiceReturn', { log: false }));
  app.get('/api/loads', (_req, res) => {
    logger.info('loading loads');
    res.success({ Loads: 2 });
  });
  app.get('/api/refused', () => {
    throw createError(400, 'The load is locked', { code: 'WSR-010' });
  });
  app.get('/api/crash', () => {
    const error = new Error('boom');
    error.stack = 'Error: boom\n    at crash (/app/routes.js:3:11)';
    throw error;
  });
  // The thrown error goes to the same logger (pino-http itself only sees the status).
  app.use(errorHandler({ log: ({ status, error }) => logger.error({ err: error, status }, 'request failed') }));
  return app;
}

const without = (line: Record<string, unknown>): Record<string, unknown> => {
  expect(typeof line.responseTime).toBe('number');
  const rest = { ...line };
  delete rest.responseTime;
  return rest;
};

describe('pino-http beside the envelope', () => {
  it('logs a success at info with the envelope id, and the mixin stamps the app line', async () => {
    const { stream, next } = collect();
    const res = await request(build(stream)).get('/api/loads').set('X-Request-Id', 'req-1').expect(200);
    expect(res.text).toBe(
      '{"WebServiceReturn":{"Status":"wrsSuccess","ErrorCode":"","Message":"","Actor":"","ReturnQuestion":null},"Loads":2}',
    );
    expect(await next()).toEqual({ level: 30, requestId: 'req-1', msg: 'loading loads' });
    expect(without(await next())).toEqual({
      level: 30,
      requestId: 'req-1',
      req: { id: 'req-1', method: 'GET', url: '/api/loads' },
      res: { statusCode: 200 },
      msg: 'request completed',
    });
  });

  it('logs an always-200 business failure at warn', async () => {
    const { stream, next } = collect();
    const res = await request(build(stream)).get('/api/refused').set('X-Request-Id', 'req-2').expect(200);
    expect(res.text).toBe(
      '{"WebServiceReturn":{"Status":"wrsFailed","ErrorCode":"WSR-010","Message":"The load is locked","Actor":"","ReturnQuestion":null}}',
    );
    expect(without(await next())).toEqual({
      level: 40,
      requestId: 'req-2',
      req: { id: 'req-2', method: 'GET', url: '/api/refused' },
      res: { statusCode: 200 },
      msg: 'request completed',
    });
  });

  it("logs a 500 at error: the thrown error through the log option, then pino-http's own line", async () => {
    const { stream, next } = collect();
    await request(build(stream)).get('/api/crash').set('X-Request-Id', 'req-3').expect(500);
    expect(await next()).toEqual({
      level: 50,
      requestId: 'req-3',
      err: { type: 'Error', message: 'boom', stack: 'Error: boom\n    at crash (/app/routes.js:3:11)' },
      status: 500,
      msg: 'request failed',
    });
    const completed = without(await next());
    const err = completed.err as Record<string, unknown>;
    expect(typeof err.stack).toBe('string');
    expect({ ...completed, err: { ...err, stack: 'pino-http' } }).toEqual({
      level: 50,
      requestId: 'req-3',
      req: { id: 'req-3', method: 'GET', url: '/api/crash' },
      res: { statusCode: 500 },
      err: { type: 'Error', message: 'failed with status code 500', stack: 'pino-http' },
      msg: 'request errored',
    });
  });
});
