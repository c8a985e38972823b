// onError and report on errorHandler() and envelope(), in-process on Express 5, Express 4 and
// Connect; the span writing of lib/telemetry.ts against the SDK (a provider registered here, and a
// server span opened by a first middleware); requestId({ fromSpan }) and problem's traceId without a
// span; the package without @opentelemetry/api.

import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import createError from 'http-errors';
import request from 'supertest';
import { type EnvelopeError, type ErrorReport, type LogEntry, envelope, errorHandler, requestId } from '../../index';
import { problem } from '../../lib/formats/problem';
import type * as Telemetry from '../../lib/telemetry';
import { FLAVORS, type Handler, createApp, quiet } from '../helpers/create-app';
import { expectEnvelope } from '../helpers/expect-envelope';
import { activeTraceId, className, loadOtel, recordError } from '../../lib/telemetry';

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const contextManager = new AsyncLocalStorageContextManager().enable();

beforeAll(() => {
  context.setGlobalContextManager(contextManager);
  trace.setGlobalTracerProvider(provider);
});
afterAll(async () => {
  await provider.shutdown();
  trace.disable();
  context.disable();
});
beforeEach(() => exporter.reset());

/** What instrumentation-http does, in small: a server span around the request, ended when it finishes. */
const serverSpan: Handler = (req, res, next) => {
  const span = provider.getTracer('test').startSpan(`${req.method} ${req.url}`, { kind: 1 });
  res.on('finish', () => span.end());
  context.with(trace.setSpan(context.active(), span), () => next());
};

const routes: Record<string, Handler> = {
  '/crash': () => {
    throw new TypeError('db down');
  },
  '/missing': () => {
    throw createError(404, 'Client not found');
  },
  '/hidden': () => {
    throw createError(403, 'secret', { expose: false });
  },
  '/json-error': (_req, res) => {
    res.statusCode = 409;
    res.json({ message: 'Already exists', code: 'DUPLICATE' });
  },
  '/json-500': (_req, res) => {
    res.statusCode = 503;
    res.json({ message: 'Down for maintenance' });
  },
  '/circular': (_req, res) => {
    const data: Record<string, unknown> = {};
    data.self = data;
    res.json(data);
  },
  '/ok': (_req, res) => res.json({ ok: true }),
};

describe.each(FLAVORS)('onError on %s', (flavor) => {
  quiet();

  type Options = Record<string, unknown>;
  function app(options: { handler?: Options; envelope?: Options; format?: 'statusOk' | 'vbapi' | 'problem'; id?: Options } = {}) {
    return createApp(flavor, {
      before: [serverSpan],
      requestId: { fromSpan: true, ...options.id },
      mounts: [{ prefix: '/api', format: options.format ?? 'statusOk', options: options.envelope, routes }],
      errorHandler: options.handler,
    });
  }

  it('reports 5xx and hidden errors by default, once each, after the response is written', async () => {
    const reports: ErrorReport[] = [];
    const server = app({ format: 'vbapi', handler: { onError: (report: ErrorReport) => reports.push(report) } });
    const crash = await request(server).get('/api/crash');
    await request(server).get('/api/missing');
    await request(server).get('/api/json-error');
    const hidden = await request(server).get('/api/hidden');
    expect(reports.map((r) => [r.outcome.status, r.res.statusCode, r.exposed, r.res.writableEnded])).toEqual([
      [500, 500, false, true],
      [403, 403, false, true],
    ]);
    expect(reports[0].error).toBeInstanceOf(TypeError);
    expect(reports[0].requestId).toBe(crash.headers['x-request-id']);
    expect(reports[1].requestId).toBe(hidden.headers['x-request-id']);
  });

  it("report: 'errors' adds every error response but soft ones; 'all' adds those too", async () => {
    const seen = (policy: string) => {
      const statuses: string[] = [];
      const server = app({
        handler: { report: policy, onError: (r: ErrorReport) => statuses.push(`${r.outcome.status}/${r.res.statusCode}`) },
      });
      return { server, statuses };
    };
    for (const [policy, expected] of [
      ['errors', ['500/500', '404/404']],
      ['all', ['500/500', '403/200', '404/200', '404/404']],
    ] as const) {
      const { server, statuses } = seen(policy);
      // statusOk: a thrown 404 and a hidden 403 are soft (200); an unknown route is not. A 409 sent
      // with res.json never reaches errorHandler(): only an envelope's hook hears it.
      for (const path of ['/api/crash', '/api/json-error', '/api/hidden', '/api/missing', '/nope']) await request(server).get(path);
      expect({ policy, statuses }).toEqual({ policy, statuses: expected });
    }
  });

  it('a predicate chooses; one that throws reports nothing and is logged', async () => {
    const reports: number[] = [];
    const server = app({
      envelope: { report: (r: ErrorReport) => r.outcome.code === 'DUPLICATE', onError: (r: ErrorReport) => reports.push(r.outcome.status) },
    });
    await request(server).get('/api/json-error');
    await request(server).get('/api/crash');
    expect(reports).toEqual([409]);
    const log: LogEntry[] = [];
    const throwing = app({
      handler: {
        log: (e: LogEntry) => log.push(e),
        report: () => {
          throw new Error('predicate down');
        },
        onError: () => reports.push(0),
      },
    });
    const res = await request(throwing).get('/nope');
    expect(res.status).toBe(404);
    expect(reports).toEqual([409]);
    expect(log).toHaveLength(1);
    expect((log[0].error as EnvelopeError).code).toBe('ERR_ENVELOPE_HOOK_FAILED');
  });

  it("the envelope's hook serves its responses, thrown errors included; errorHandler's the rest", async () => {
    const calls: string[] = [];
    const server = app({
      envelope: { report: 'all', onError: (r: ErrorReport) => calls.push(`envelope ${r.outcome.status}`) },
      handler: { report: 'all', onError: (r: ErrorReport) => calls.push(`handler ${r.outcome.status}`) },
    });
    await request(server).get('/api/missing');
    await request(server).get('/api/json-error');
    await request(server).get('/elsewhere');
    expect(calls).toEqual(['envelope 404', 'envelope 409', 'handler 404']);
  });

  it('a hook that throws or rejects is logged as ERR_ENVELOPE_HOOK_FAILED and changes nothing', async () => {
    const plain = await request(app()).get('/api/crash');
    for (const onError of [
      () => {
        throw new Error('hook down');
      },
      () => Promise.reject(new Error('hook down')),
    ]) {
      const log: LogEntry[] = [];
      const server = app({ handler: { onError, log: (e: LogEntry) => log.push(e) } });
      const res = await request(server).get('/api/crash');
      expectEnvelope(res, { format: 'statusOk', kind: 'error', status: 500, body: JSON.parse(plain.text) });
      await new Promise((resolve) => setImmediate(resolve));
      // The crash's own line, then the hook's failure.
      expect(log.map((e) => (e.error as { code?: string }).code)).toEqual([undefined, 'ERR_ENVELOPE_HOOK_FAILED']);
      expect(((log[1].error as EnvelopeError).cause as Error).message).toBe('hook down');
      expect([log[1].status, log[1].requestId]).toEqual([500, res.headers['x-request-id']]);
    }
  });

  it('a body that cannot be sent reports the EnvelopeError behind its 500', async () => {
    const reports: ErrorReport[] = [];
    const server = app({ envelope: { log: false, onError: (r: ErrorReport) => reports.push(r) } });
    const res = await request(server).get('/api/circular');
    expect(res.status).toBe(500);
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ exposed: false, outcome: { status: 500 } });
    expect((reports[0].error as EnvelopeError).code).toBe('ERR_ENVELOPE_UNSERIALIZABLE');
    const span = exporter.getFinishedSpans().find((s) => s.kind === 1)!;
    expect(span.attributes['error.type']).toBe('EnvelopeError');
  });

  it('writes the outcome on the server span: 5xx ERROR with error.type and one exception event; 4xx UNSET', async () => {
    const server = app({ format: 'vbapi' });
    const crash = await request(server).get('/api/crash');
    const json500 = await request(server).get('/api/json-500');
    const coded = await request(server).get('/api/json-error');
    const ok = await request(server).get('/api/ok');
    const spans = exporter.getFinishedSpans().filter((s) => s.kind === 1);
    expect(spans).toHaveLength(4);
    const [a, b, c, d] = spans;
    expect(crash.headers['x-request-id']).toBe(a.spanContext().traceId);
    expect(a.status).toEqual({ code: 2 });
    expect(a.attributes).toEqual({
      'express_envelope.outcome': 'error',
      'express_envelope.exposed': false,
      'express_envelope.validation': false,
      'express_envelope.issues': 0,
      'express_envelope.soft': false,
      'express_envelope.request_id': crash.headers['x-request-id'],
      'error.type': 'TypeError',
    });
    expect(a.events.map((e) => [e.name, e.attributes?.['exception.type'], e.attributes?.['exception.message']])).toEqual([
      ['exception', 'TypeError', 'db down'],
    ]);
    // A 5xx with no Error behind it: the status as error.type, the client's message in the event.
    expect(b.attributes['error.type']).toBe('503');
    expect(b.events.map((e) => e.attributes)).toEqual([{ 'exception.type': '503', 'exception.message': 'Down for maintenance' }]);
    expect(json500.status).toBe(503);
    expect(c.status).toEqual({ code: 0 });
    expect(c.attributes['express_envelope.code']).toBe('DUPLICATE');
    expect(c.attributes['express_envelope.request_id']).toBe(coded.headers['x-request-id']);
    expect(c.events).toEqual([]);
    expect(d.attributes).toEqual({});
    expect(ok.headers['x-request-id']).toBe(d.spanContext().traceId);
  });

  it('problem with traceId: true adds the trace id; without a span, the traceparent one or nothing', async () => {
    const server = app({ format: 'problem', envelope: { traceId: true } });
    const res = await request(server).get('/api/missing');
    expect(JSON.parse(res.text)).toEqual({
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      detail: 'Client not found',
      instance: '/api/missing',
      traceId: res.headers['x-request-id'],
    });
    const untraced = createApp(flavor, {
      requestId: { traceparent: true, fromSpan: true },
      mounts: [{ prefix: '/api', format: 'problem', options: { traceId: true }, routes }],
    });
    const parent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const withParent = await request(untraced).get('/api/missing').set('traceparent', parent);
    expectEnvelope(withParent, {
      format: 'problem',
      options: { traceId: true },
      contentType: 'application/problem+json; charset=utf-8',
      kind: 'error',
      status: 404,
      body: {
        type: 'about:blank',
        title: 'Not Found',
        status: 404,
        detail: 'Client not found',
        instance: '/api/missing',
        traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      },
      headers: { 'X-Request-Id': '4bf92f3577b34da6a3ce929d0e0e4736' },
    });
    const bare = await request(untraced).get('/api/missing');
    expect(bare.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.parse(bare.text)).not.toHaveProperty('traceId');
  });
});

describe('options', () => {
  it.each([
    [() => errorHandler({ onError: 'x' as never }), 'errorHandler(): onError must be a function'],
    [
      () => errorHandler({ onError: () => undefined, report: 'some' as never }),
      "errorHandler(): report must be '5xx', 'errors', 'all' or a function",
    ],
    [() => envelope('vbapi', { report: 'all' }), 'envelope(): report needs onError'],
    [() => envelope('problem', { traceId: 'yes' as never }), 'problem: traceId must be a boolean'],
  ])('%#: a wrong value throws ERR_ENVELOPE_INVALID_OPTION', (make, message) => {
    expect(make).toThrow(expect.objectContaining({ code: 'ERR_ENVELOPE_INVALID_OPTION', message }));
  });

  it('requestId({ fromSpan }) is a known option; problem schemas carry traceId only when asked', () => {
    expect(() => requestId({ fromSpan: true })).not.toThrow();
    const props = (options: object) => (problem(options).schemas().error as { properties: Record<string, unknown> }).properties;
    expect(props({})).not.toHaveProperty('traceId');
    expect(props({ traceId: true }).traceId).toEqual({ type: 'string', pattern: '^[0-9a-f]{32}$' });
  });
});

describe('lib/telemetry.ts', () => {
  it('finds no API when it is missing or not one it can use', () => {
    expect(
      loadOtel(() => {
        throw Object.assign(new Error("Cannot find module '@opentelemetry/api'"), { code: 'MODULE_NOT_FOUND' });
      }),
    ).toBeUndefined();
    expect(loadOtel(() => ({ trace: {} }))).toBeUndefined();
    expect(loadOtel(() => null)).toBeUndefined();
  });

  it('without @opentelemetry/api the package loads and does nothing', () => {
    jest.isolateModules(() => {
      jest.doMock('@opentelemetry/api', () => {
        throw Object.assign(new Error("Cannot find module '@opentelemetry/api'"), { code: 'MODULE_NOT_FOUND' });
      });
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const isolated = require('../../lib/telemetry') as typeof Telemetry;
      expect(isolated.requestSpan()).toBeUndefined();
      expect(isolated.activeTraceId()).toBeUndefined();
      expect(() =>
        isolated.recordError({
          status: 500,
          code: undefined,
          exposed: false,
          validation: false,
          issues: 0,
          requestId: 'r',
          error: new Error('x'),
          message: 'm',
        }),
      ).not.toThrow();
    });
  });

  it('no active span: no trace id, nothing written', () => {
    expect(activeTraceId()).toBeUndefined();
    expect(() =>
      recordError({ status: 500, code: undefined, exposed: false, validation: false, issues: 0, requestId: 'r', error: 1, message: 'm' }),
    ).not.toThrow();
  });

  it('a span that throws, or does not record, is left alone', () => {
    const throwing = {
      spanContext: () => {
        throw new Error('x');
      },
      isRecording: () => true,
      setAttributes: () => {
        throw new Error('x');
      },
      setStatus: () => undefined,
      addEvent: () => undefined,
    };
    expect(() =>
      recordError(
        { status: 500, code: 'C', exposed: false, validation: false, issues: 0, requestId: 'r', error: 'text', message: 'm' },
        throwing,
      ),
    ).not.toThrow();
    const silent = { ...throwing, isRecording: () => false, setAttributes: jest.fn() };
    recordError(
      { status: 500, code: undefined, exposed: false, validation: false, issues: 0, requestId: 'r', error: null, message: 'm' },
      silent,
    );
    expect(silent.setAttributes).not.toHaveBeenCalled();
  });

  it('className: the constructor, else name, else nothing', () => {
    class DbError extends Error {}
    expect(className(new DbError('x'))).toBe('DbError');
    expect(className(Object.assign(Object.create(null) as object, { name: 'Named' }))).toBe('Named');
    expect(className({})).toBeUndefined();
    expect(className('text')).toBeUndefined();
    const hostile = new Proxy(
      {},
      {
        get: () => {
          throw new Error('x');
        },
      },
    );
    expect(className(hostile)).toBeUndefined();
  });
});
