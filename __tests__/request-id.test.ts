// requestId(): which incoming ids are reused, which are replaced (never echoed), and async context.

import { setTimeout as sleep } from 'node:timers/promises';
import request from 'supertest';
import express from 'express';
import { currentRequestId, envelope, errorHandler, requestId } from '../index';
import { type AppSpec, FLAVORS, type Handler, createApp } from './helpers/create-app';
import { UUID_V4, expectEnvelope } from './helpers/expect-envelope';

const routes: Record<string, Handler> = {
  '/id': async (req, res) => {
    const before = currentRequestId();
    await sleep(Math.floor(Math.random() * 5));
    await new Promise((resolve) => setImmediate(resolve));
    res.json({ reqId: req.id, before, after: currentRequestId() });
  },
};

/** The three ways an app gets its ids, which must keep one policy: requestId(), envelope()'s option, envelope() alone. */
const SETUPS: [string, AppSpec][] = [
  ['requestId() + envelope()', { mounts: [{ prefix: '/api', format: 'jsend', routes }] }],
  [
    'envelope({ requestId: true })',
    { requestId: false, mounts: [{ prefix: '/api', format: 'jsend', options: { requestId: true }, routes }] },
  ],
  ['envelope() alone', { requestId: false, mounts: [{ prefix: '/api', format: 'jsend', routes }] }],
];

describe.each(FLAVORS.flatMap((flavor) => SETUPS.map(([name, spec]) => [flavor, name, spec] as const)))(
  'ids on %s through %s',
  (flavor, _name, spec) => {
    const app = createApp(flavor, spec);
    const get = () => request(app).get('/api/id');
    const same = (res: request.Response, id: string) =>
      expectEnvelope(res, {
        format: 'jsend',
        kind: 'success',
        status: 200,
        body: { status: 'success', data: { reqId: id, before: id, after: id } },
        headers: { 'X-Request-Id': id },
      });

    it('makes a v4 UUID when the client sends none, and shares it with req.id and async context', async () => {
      const res = await get();
      expect(res.headers['x-request-id']).toMatch(UUID_V4);
      same(res, res.headers['x-request-id']);
    });

    it.each(['a62d1412-9fe9-4ac0-9dc7-3a3e35d202fd', 'x', 'trace:abc=def+ghi/jkl_mno.pqr', 'A'.repeat(128)])(
      'reuses the trusted incoming id %s',
      async (id) => {
        same(await get().set('X-Request-Id', id), id);
      },
    );

    it.each([
      ['129 characters', 'A'.repeat(129)],
      ['a space', 'abc def'],
      ['a semicolon', 'abc;def'],
      ['a comma', 'abc,def'],
      ['non-ASCII', 'caf\u00e9'],
      ['quotes and angle brackets', '"><script>'],
      ['an empty value', ''],
    ])('replaces an id with %s by a fresh one and never echoes it', async (_name, hostile) => {
      const res = await get().set('X-Request-Id', hostile);
      const id = res.headers['x-request-id'];
      expect(id).toMatch(UUID_V4);
      same(res, id);
      if (hostile !== '') expect(res.text).not.toContain(hostile);
    });

    it('replaces a duplicated header (which Node joins with ", ")', async () => {
      const res = await get().set('X-Request-Id', ['first', 'second'] as unknown as string);
      expect(res.headers['x-request-id']).toMatch(UUID_V4);
      expect(res.text).not.toMatch(/first|second/);
    });

    it('keeps concurrent requests apart in async context', async () => {
      const ids = Array.from({ length: 40 }, (_, i) => `req-${i}`);
      const responses = await Promise.all(ids.map((id) => get().set('X-Request-Id', id)));
      responses.forEach((res, i) => same(res, ids[i]));
    });

    it('has no id outside a request', () => {
      expect(currentRequestId()).toBeUndefined();
    });
  },
);

describe('requestId() options', () => {
  const build = (options: Parameters<typeof requestId>[0]) =>
    createApp('express5', { requestId: options, mounts: [{ prefix: '/api', format: 'jsend', routes }] });

  it('reads and writes a custom header', async () => {
    const res = await request(build({ header: 'X-Correlation-Id' }))
      .get('/api/id')
      .set('X-Correlation-Id', 'corr-1');
    expect([res.headers['x-correlation-id'], res.headers['x-request-id']]).toEqual(['corr-1', undefined]);
    expect(JSON.parse(res.text).data).toEqual({ reqId: 'corr-1', before: 'corr-1', after: 'corr-1' });
  });

  it('ignores the incoming id when not trusted', async () => {
    const res = await request(build({ trustIncoming: false, generator: () => 'fresh' }))
      .get('/api/id')
      .set('X-Request-Id', 'mine');
    expect(res.headers['x-request-id']).toBe('fresh');
  });

  it('applies maxLength at its boundary', async () => {
    const app = build({ maxLength: 8, generator: () => 'generated' });
    expect((await request(app).get('/api/id').set('X-Request-Id', '12345678')).headers['x-request-id']).toBe('12345678');
    expect((await request(app).get('/api/id').set('X-Request-Id', '123456789')).headers['x-request-id']).toBe('generated');
  });

  it('can leave the header off and still set req.id', async () => {
    const res = await request(build({ setHeader: false, generator: () => 'quiet' })).get('/api/id');
    expect(res.headers['x-request-id']).toBeUndefined();
    expect(JSON.parse(res.text).data.reqId).toBe('quiet');
  });

  it('can run without async context: req.id, the header and the body keep the id, currentRequestId() has none', async () => {
    const res = await request(build({ asyncContext: false, generator: () => 'no-als' })).get('/api/id');
    expect(res.status).toBe(200);
    expect(res.headers['x-request-id']).toBe('no-als');
    expect(res.text).toBe('{"status":"success","data":{"reqId":"no-als"}}');
    const withContext = await request(build({ asyncContext: true, generator: () => 'als' })).get('/api/id');
    expect(withContext.text).toBe('{"status":"success","data":{"reqId":"als","before":"als","after":"als"}}');
    expect(() => requestId({ asyncContext: undefined })).not.toThrow();
  });

  it('leaves the header off a response that has started, and passes on a header Node refuses', async () => {
    const started = express();
    started.use((_req, res, next) => {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.write('a');
      next();
    });
    started.use(requestId());
    started.get('/', (req, res) => {
      res.end(typeof req.id === 'string' ? 'b' : 'no id');
    });
    const first = await request(started).get('/');
    expect([first.status, first.text, first.headers['x-request-id']]).toEqual([200, 'ab', undefined]);

    const refused = express();
    refused.use(requestId({ generator: () => 'line\nbreak' }));
    refused.get('/', (_req, res) => {
      res.json({ reached: true });
    });
    refused.use(errorHandler({ log: false }));
    const second = await request(refused).get('/');
    expect([second.status, second.headers['x-request-id'], second.body]).toEqual([
      500,
      undefined,
      { type: 'about:blank', title: 'Internal Server Error', status: 500, detail: 'Internal Server Error', instance: '/' },
    ]);
  });

  it('treats undefined options as omitted and reports mistakes', () => {
    expect(() => requestId({ header: undefined, maxLength: undefined })).not.toThrow();
    expect(() => requestId({ hedaer: 'x' } as never)).toThrow(expect.objectContaining({ code: 'ERR_ENVELOPE_UNKNOWN_OPTION' }));
    expect(() => requestId({ header: '' })).toThrow(expect.objectContaining({ code: 'ERR_ENVELOPE_INVALID_OPTION' }));
    expect(() => requestId({ maxLength: 0 })).toThrow(expect.objectContaining({ code: 'ERR_ENVELOPE_INVALID_OPTION' }));
    expect(() => requestId({ maxLength: 1.5 })).toThrow(expect.objectContaining({ code: 'ERR_ENVELOPE_INVALID_OPTION' }));
    expect(() => requestId({ generator: 'uuid' as never })).toThrow(expect.objectContaining({ code: 'ERR_ENVELOPE_INVALID_OPTION' }));
  });
});

describe('envelope({ requestId }): requestId() in the envelope middleware', () => {
  const build = (options: object) =>
    createApp('express5', { requestId: false, mounts: [{ prefix: '/api', format: 'jsend', options: { requestId: options }, routes }] });

  it('applies requestId() options: a custom header, trust, generator and maxLength', async () => {
    const custom = await request(build({ header: 'X-Correlation-Id' }))
      .get('/api/id')
      .set('X-Correlation-Id', 'corr-1');
    expect([custom.headers['x-correlation-id'], custom.headers['x-request-id']]).toEqual(['corr-1', undefined]);
    expect(custom.text).toBe('{"status":"success","data":{"reqId":"corr-1","before":"corr-1","after":"corr-1"}}');
    const untrusted = await request(build({ trustIncoming: false, generator: () => 'fresh' }))
      .get('/api/id')
      .set('X-Request-Id', 'mine');
    expect(untrusted.headers['x-request-id']).toBe('fresh');
    const long = await request(build({ maxLength: 8, generator: () => 'generated' }))
      .get('/api/id')
      .set('X-Request-Id', '123456789');
    expect(long.headers['x-request-id']).toBe('generated');
  });

  it('takes the traceparent trace id as requestId() does', async () => {
    const res = await request(build({ traceparent: true }))
      .get('/api/id')
      .set('traceparent', '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01');
    expect(res.headers['x-request-id']).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
  });

  it('can run without async context and without the header', async () => {
    const res = await request(build({ asyncContext: false, setHeader: false, generator: () => 'quiet' })).get('/api/id');
    expect(res.headers['x-request-id']).toBeUndefined();
    expect(res.text).toBe('{"status":"success","data":{"reqId":"quiet"}}');
  });

  it.each(FLAVORS)('keeps the id a requestId() before it gave, on %s', async (flavor) => {
    const app = createApp(flavor, {
      requestId: { generator: () => 'outer' },
      mounts: [{ prefix: '/api', format: 'jsend', options: { requestId: { generator: () => 'inner' } }, routes }],
    });
    const res = await request(app).get('/api/id');
    expect(res.headers['x-request-id']).toBe('outer');
    expect(res.text).toBe('{"status":"success","data":{"reqId":"outer","before":"outer","after":"outer"}}');
  });

  it('refuses what is neither true nor requestId() options, and unknown keys', () => {
    expect(() => envelope('jsend', { requestId: undefined })).not.toThrow();
    expect(() => envelope('jsend', { requestId: 'yes' as never })).toThrow(
      expect.objectContaining({ code: 'ERR_ENVELOPE_INVALID_OPTION' }),
    );
    expect(() => envelope('jsend', { requestId: false as never })).toThrow(
      expect.objectContaining({ code: 'ERR_ENVELOPE_INVALID_OPTION' }),
    );
    expect(() => envelope('jsend', { requestId: { hedaer: 'x' } as never })).toThrow(
      expect.objectContaining({ code: 'ERR_ENVELOPE_UNKNOWN_OPTION', message: expect.stringContaining('envelope(): requestId') }),
    );
    expect(() => envelope('jsend', { requestId: { maxLength: 0 } })).toThrow(
      expect.objectContaining({ code: 'ERR_ENVELOPE_INVALID_OPTION' }),
    );
  });
});

describe('errorHandler() alone', () => {
  it('gives an error the id by the same policy: a trusted incoming id is kept', async () => {
    const app = express();
    app.get('/', () => {
      throw new Error('boom');
    });
    app.use(errorHandler({ log: false }));
    const kept = await request(app).get('/').set('X-Request-Id', 'client-7');
    expect(kept.status).toBe(500);
    expect(kept.headers['x-request-id']).toBe('client-7');
    const replaced = await request(app).get('/').set('X-Request-Id', 'bad id');
    expect(replaced.headers['x-request-id']).toMatch(UUID_V4);
  });
});
