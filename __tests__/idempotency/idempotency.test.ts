// idempotency() with the memory store and scripted stores, on Express 4 and 5: replays, refusals in
// every envelope, what is stored and what is not, store failures and timeouts.

import request from 'supertest';
import { EnvelopeError, type IdempotencyStore, envelope, errorHandler, idempotency, memoryIdempotencyStore, requestId } from '../../index';
import { PRESET_NAMES } from '../../lib/registry';
import { EXPRESS_FLAVORS, expressOf, quiet } from '../helpers/create-app';
import { expectEnvelope } from '../helpers/expect-envelope';
import { paymentsApp, scriptedStore } from './helpers';

const PAYMENT = { success: true, data: { id: 1, amount: 10, note: 'ok' } };

describe.each(EXPRESS_FLAVORS)('idempotency() on %s', (flavor) => {
  it('replays the first response byte for byte, with the new request id, without running the handler', async () => {
    const { app, runs } = paymentsApp(flavor, { idem: { replayHeaders: ['X-Payment-Id'] } });
    const first = await request(app).post('/payments').set('Idempotency-Key', '"pay-1"').send({ amount: 10 });
    expectEnvelope(first, {
      format: 'wispanel',
      kind: 'success',
      status: 201,
      body: PAYMENT,
      headers: { Location: '/payments/1', 'X-Payment-Id': 'pay_1' },
    });
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    // Another serialization of the same JSON, and the key as a bare token: the same request.
    const again = await request(app)
      .post('/payments')
      .set('Idempotency-Key', 'pay-1')
      .set('Content-Type', 'application/json')
      .send('{ "amount" : 10 }');
    expectEnvelope(again, {
      format: 'wispanel',
      kind: 'success',
      status: 201,
      body: PAYMENT,
      headers: { Location: '/payments/1', 'X-Payment-Id': 'pay_1', 'Idempotent-Replayed': 'true' },
    });
    expect(again.text).toBe(first.text);
    expect(again.headers['x-request-id']).not.toBe(first.headers['x-request-id']);
    expect(again.headers['x-request-id']).toMatch(/^req-\d+$/);
    expect(runs()).toBe(1);
  });

  it('refuses the same key with another payload (422), another path (422), and runs another caller separately', async () => {
    const { app, runs } = paymentsApp(flavor);
    const first = await request(app)
      .post('/payments')
      .set('Idempotency-Key', 'k')
      .set('Authorization', 'Bearer alice')
      .send({ amount: 10 });
    expect(first.status).toBe(201);
    const refused = {
      format: 'wispanel',
      kind: 'error' as const,
      status: 422,
      body: {
        success: false,
        code: 'IDEMPOTENCY_KEY_MISMATCH',
        error: 'This Idempotency-Key was already used with a different request',
        message: 'This Idempotency-Key was already used with a different request',
        status: 422,
      },
    };
    expectEnvelope(
      await request(app).post('/payments').set('Idempotency-Key', 'k').set('Authorization', 'Bearer alice').send({ amount: 11 }),
      refused,
    );
    expectEnvelope(
      await request(app).post('/payments?x=1').set('Idempotency-Key', 'k').set('Authorization', 'Bearer alice').send({ amount: 10 }),
      refused,
    );
    const bob = await request(app).post('/payments').set('Idempotency-Key', 'k').set('Authorization', 'Bearer bob').send({ amount: 10 });
    expectEnvelope(bob, {
      format: 'wispanel',
      kind: 'success',
      status: 201,
      body: { success: true, data: { id: 2, amount: 10, note: 'ok' } },
      headers: { Location: '/payments/2' },
    });
    expect(bob.headers['idempotent-replayed']).toBeUndefined();
    expect(runs()).toBe(2);
  });

  it('leaves other methods, and requests without a key, unprotected unless the key is required', async () => {
    const { app, runs } = paymentsApp(flavor);
    expect((await request(app).get('/payments').set('Idempotency-Key', 'k')).status).toBe(200);
    expect((await request(app).get('/payments').set('Idempotency-Key', 'k')).status).toBe(200);
    expect((await request(app).post('/payments').send({ amount: 1 })).status).toBe(201);
    expect((await request(app).post('/payments').send({ amount: 1 })).status).toBe(201);
    expect(runs()).toBe(4);
    const patched = paymentsApp(flavor);
    await request(patched.app).patch('/payments/7').set('Idempotency-Key', 'p').send({ amount: 2 });
    const replay = await request(patched.app).patch('/payments/7').set('Idempotency-Key', 'p').send({ amount: 2 });
    expectEnvelope(replay, {
      format: 'wispanel',
      kind: 'success',
      status: 200,
      body: { success: true, data: { id: 7, amount: 2 } },
      headers: { 'Idempotent-Replayed': 'true' },
    });
    expect(patched.runs()).toBe(1);
  });

  it.each([
    ['missing', undefined],
    ['invalid: a space', 'two words'],
    ['invalid: too long', 'k'.repeat(256)],
    ['invalid: an unterminated String', '"abc'],
    ['invalid: a parameter', '"abc";x=1'],
    ['invalid: two keys', '"a", "b"'],
    ['invalid: empty', '""'],
  ])('refuses a key that is %s with 400 when required', async (_name, key) => {
    const { app, runs } = paymentsApp(flavor, { idem: { required: true } });
    const req = request(app).post('/payments');
    if (key !== undefined) req.set('Idempotency-Key', key);
    const res = await req.send({ amount: 1 });
    const code = key === undefined ? 'IDEMPOTENCY_KEY_MISSING' : 'IDEMPOTENCY_KEY_INVALID';
    const message =
      key === undefined
        ? 'This request needs an Idempotency-Key header'
        : 'The Idempotency-Key header must be 1 to 255 characters of A-Z a-z 0-9 - _ . : = + /';
    expectEnvelope(res, {
      format: 'wispanel',
      kind: 'error',
      status: 400,
      body: { success: false, code, error: message, message, status: 400 },
    });
    expect(runs()).toBe(0);
  });

  it('stores 4xx and an always-200 business error; releases a 5xx unless storeServerErrors', async () => {
    const { app, runs } = paymentsApp(flavor);
    const declined = await request(app).post('/payments?status=402').set('Idempotency-Key', 'd').send({});
    const replayed = await request(app).post('/payments?status=402').set('Idempotency-Key', 'd').send({});
    expect([declined.status, replayed.status, replayed.text, replayed.headers['idempotent-replayed']]).toEqual([
      402,
      402,
      declined.text,
      'true',
    ]);
    expectEnvelope(replayed, { format: 'wispanel', kind: 'error', status: 402, body: JSON.parse(declined.text) });
    expect(runs()).toBe(1);

    await request(app).post('/payments?status=500').set('Idempotency-Key', 'f').send({});
    const retried = await request(app).post('/payments?status=500').set('Idempotency-Key', 'f').send({});
    expect([retried.status, retried.headers['idempotent-replayed'], runs()]).toEqual([500, undefined, 3]);

    const kept = paymentsApp(flavor, { idem: { storeServerErrors: true } });
    await request(kept.app).post('/payments?status=500').set('Idempotency-Key', 'f').send({});
    const replay500 = await request(kept.app).post('/payments?status=500').set('Idempotency-Key', 'f').send({});
    expect([replay500.status, replay500.headers['idempotent-replayed'], kept.runs()]).toEqual([500, 'true', 1]);

    // webServiceReturn answers a business error with HTTP 200: stored like any 200.
    const legacy = paymentsApp(flavor, { format: 'webServiceReturn' });
    const business = await request(legacy.app).post('/payments?status=402').set('Idempotency-Key', 'w').send({});
    const businessAgain = await request(legacy.app).post('/payments?status=402').set('Idempotency-Key', 'w').send({});
    expect(business.status).toBe(200);
    expectEnvelope(businessAgain, {
      format: 'webServiceReturn',
      kind: 'error',
      status: 200,
      body: JSON.parse(business.text),
      headers: { 'Idempotent-Replayed': 'true' },
    });
    expect(legacy.runs()).toBe(1);
  });

  it('does not store a body above maxBodyBytes, nor a streamed one: releases the key and logs one line', async () => {
    const lines: string[] = [];
    const log = ({ requestId, status, error }: { requestId: string; status: number; error: unknown }) =>
      lines.push(`${requestId} ${status} ${(error as Error).message}`);
    const { app, runs } = paymentsApp(flavor, { idem: { maxBodyBytes: 100, log }, ids: () => 'rid' });
    const big = await request(app).post('/payments?big=200').set('Idempotency-Key', 'b').send({});
    expect(big.status).toBe(201);
    const bigAgain = await request(app).post('/payments?big=200').set('Idempotency-Key', 'b').send({});
    expect([bigAgain.status, bigAgain.headers['idempotent-replayed'], runs()]).toEqual([201, undefined, 2]);
    const streamed = await request(app).post('/payments?stream=1').set('Idempotency-Key', 's').send({});
    expect([streamed.status, streamed.text]).toEqual([200, 'part 1,part 2']);
    const streamedAgain = await request(app).post('/payments?stream=1').set('Idempotency-Key', 's').send({});
    expect([streamedAgain.text, streamedAgain.headers['idempotent-replayed'], runs()]).toEqual(['part 1,part 2', undefined, 4]);
    expect(lines).toEqual([
      'rid 201 idempotency: response not stored: its body (256 bytes) is above maxBodyBytes (100); the key is released',
      'rid 201 idempotency: response not stored: its body (256 bytes) is above maxBodyBytes (100); the key is released',
      'rid 200 idempotency: response not stored: it was streamed; the key is released',
      'rid 200 idempotency: response not stored: it was streamed; the key is released',
    ]);
  });

  describe('when the store fails', () => {
    quiet();
    const UNAVAILABLE = 'Idempotency keys cannot be checked right now; retry later';

    it.each([
      ['rejects', 'down'],
      ['never answers', 'hang'],
    ])('answers 503 in the envelope when the store %s, and logs it', async (_name, key) => {
      const { app, runs } = paymentsApp(flavor, { idem: { store: scriptedStore(), storeTimeoutMs: 50 }, ids: () => 'rid' });
      const res = await request(app).post('/payments').set('Idempotency-Key', key).send({});
      expectEnvelope(res, {
        format: 'wispanel',
        kind: 'error',
        status: 503,
        body: { success: false, code: 'IDEMPOTENCY_STORE_UNAVAILABLE', error: UNAVAILABLE, message: UNAVAILABLE, status: 503 },
      });
      expect(runs()).toBe(0);
    });

    it.each([
      ['rejects', 'down', 'connect ECONNREFUSED 10.0.3.7:6379'],
      ['never answers', 'hang', 'idempotency store did not answer within 50 ms'],
    ])('runs the handler unprotected with failOpen when the store %s, and logs it', async (_name, key, cause) => {
      const lines: string[] = [];
      const log = ({ requestId, error }: { requestId: string; error: unknown }) =>
        lines.push(`${requestId} ${(error as Error).message} (${((error as Error).cause as Error).message})`);
      const { app, runs } = paymentsApp(flavor, {
        idem: { store: scriptedStore(), storeTimeoutMs: 50, failOpen: true, log },
        ids: () => 'rid',
      });
      const res = await request(app).post('/payments').set('Idempotency-Key', key).send({ amount: 5 });
      expectEnvelope(res, {
        format: 'wispanel',
        kind: 'success',
        status: 201,
        body: { success: true, data: { id: 1, amount: 5, note: 'ok' } },
      });
      expect(runs()).toBe(1);
      expect(lines).toEqual([`rid idempotency: store failed; the request runs without idempotency protection (failOpen) (${cause})`]);
    });

    it('still answers when storing the response fails, and logs it', async () => {
      const lines: string[] = [];
      const store: IdempotencyStore = { ...memoryIdempotencyStore(), finish: () => Promise.reject(new Error('READONLY')) };
      const log = ({ error }: { error: unknown }) => lines.push((error as Error).message);
      const { app } = paymentsApp(flavor, { idem: { store, log } });
      const res = await request(app).post('/payments').set('Idempotency-Key', 'x').send({ amount: 1 });
      expect(res.status).toBe(201);
      expect(lines).toEqual(['idempotency: store failed while storing the response (3 attempts); the key stays locked until lockMs']);
    });
  });
});

describe('every refusal in every envelope', () => {
  const REFUSALS = [
    ['IDEMPOTENCY_KEY_MISSING', 400, undefined],
    ['IDEMPOTENCY_KEY_INVALID', 400, 'no spaces allowed'],
    ['IDEMPOTENCY_KEY_CONFLICT', 409, 'conflict'],
    ['IDEMPOTENCY_KEY_MISMATCH', 422, 'mismatch'],
    ['IDEMPOTENCY_STORE_UNAVAILABLE', 503, 'down'],
  ] as const;
  const FORMATS: Array<[string, Record<string, unknown> | undefined]> = [
    ...PRESET_NAMES.filter((name) => name !== 'wispanel').map((name): [string, undefined] => [name, undefined]),
    ...['panel', 'portal', 'license', 'lean', 'bare'].map((variant): [string, Record<string, unknown>] => ['wispanel', { variant }]),
  ];

  describe.each(EXPRESS_FLAVORS)('on %s', (flavor) => {
    quiet();
    it.each(FORMATS)(
      '%s %j: each refusal is the error errorHandler() renders for it, and matches the schema',
      async (format, formatOptions) => {
        const { app, runs } = paymentsApp(flavor, {
          format: format as never,
          formatOptions,
          idem: { store: scriptedStore(), required: true },
          ids: () => 'rid',
        });
        for (const [code, status, key] of REFUSALS) {
          const refused = request(app).post('/payments');
          if (key !== undefined) refused.set('Idempotency-Key', key);
          const res = await refused.send({});
          const oracle = await request(app).post('/payments').set('X-Oracle', `${status}:${code}`).send({});
          expect({ code, text: res.text }).toEqual({ code, text: oracle.text });
          expectEnvelope(res, {
            format,
            options: formatOptions,
            kind: 'error',
            status: oracle.status,
            body: oracle.text,
            contentType: oracle.headers['content-type'],
            headers: { 'X-Request-Id': 'rid' },
          });
          // webServiceReturn answers every error below 500 with HTTP 200, and a 5xx with 500.
          const expected = format === 'webServiceReturn' ? (status < 500 ? 200 : 500) : status;
          expect([code, oracle.status]).toEqual([code, expected]);
        }
        expect(runs()).toBe(0);
      },
    );
  });
});

describe('idempotency() options', () => {
  it.each([
    [{ lockMs: 0 }, 'idempotency(): lockMs must be a positive integer'],
    [{ ttlMs: 1.5 }, 'idempotency(): ttlMs must be a positive integer'],
    [{ storeTimeoutMs: -1 }, 'idempotency(): storeTimeoutMs must be a positive integer'],
    [{ maxBodyBytes: -1 }, 'idempotency(): maxBodyBytes must be a non-negative integer'],
    [{ methods: 'POST' }, 'idempotency(): methods must be an array of strings'],
    [{ header: '' }, 'idempotency(): header must be a non-empty string'],
    [{ scope: 'ip' }, 'idempotency(): scope must be a function'],
    [{ replayHeaders: [''] }, 'idempotency(): replayHeaders must be an array of header names'],
    [{ failOpen: 'yes' }, 'idempotency(): failOpen must be a boolean'],
    [{ store: {} }, 'idempotency(): store must have claim, finish and release methods'],
    [{ log: 'stderr' }, 'idempotency(): log must be a function or false'],
  ])('%j is refused', (options, message) => {
    expect(() => idempotency(options as never)).toThrow(new EnvelopeError('ERR_ENVELOPE_INVALID_OPTION', message));
    expect(() => idempotency(options as never)).toThrow(expect.objectContaining({ code: 'ERR_ENVELOPE_INVALID_OPTION' }));
  });

  it('refuses an unknown option', () => {
    expect(() => idempotency({ lockMS: 1 } as never)).toThrow(expect.objectContaining({ code: 'ERR_ENVELOPE_UNKNOWN_OPTION' }));
  });
});

describe.each(EXPRESS_FLAVORS)('what idempotency() captures on %s', (flavor) => {
  type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any
  function app(idem: Parameters<typeof idempotency>[0], routes: Record<string, (req: Any, res: Any) => unknown>) {
    const express = expressOf(flavor) as Any;
    const server = express();
    const runs: Record<string, number> = {};
    server.use(requestId({ generator: () => 'rid' }));
    server.use(express.json());
    server.use(envelope('problem'));
    server.use(idempotency({ log: false, ...idem }));
    for (const [path, handler] of Object.entries(routes)) {
      server.post(path, (req: Any, res: Any) => {
        runs[path] = (runs[path] ?? 0) + 1;
        return handler(req, res);
      });
    }
    server.use(errorHandler({ log: false }));
    return { server, runs };
  }
  const twice = async (server: Any, path: string) => {
    const binary = (res: Any, cb: (err: null, body: Buffer) => void) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    };
    const first = await request(server).post(path).set('Idempotency-Key', path.slice(1)).buffer(true).parse(binary).send({});
    const second = await request(server).post(path).set('Idempotency-Key', path.slice(1)).buffer(true).parse(binary).send({});
    return [first, second];
  };

  it('stores a Buffer body, an empty 204, an end() with only a callback, and array headers', async () => {
    const { server, runs } = app(
      { replayHeaders: ['Set-Cookie'] },
      {
        '/buffer': (_req, res) => res.type('application/octet-stream').send(Buffer.from([0, 1, 2, 255])),
        '/empty': (_req, res) => res.status(204).end(),
        '/callback': (_req, res) => {
          res.statusCode = 202;
          res.end(() => undefined);
        },
        '/cookies': (_req, res) => {
          res.setHeader('Set-Cookie', ['a=1', 'b=2']);
          res.json({ ok: true });
        },
      },
    );
    const [b1, b2] = await twice(server, '/buffer');
    expect([b2.status, b2.body, b2.headers['content-type'], b2.headers['idempotent-replayed']]).toEqual([
      200,
      b1.body,
      'application/octet-stream',
      'true',
    ]);
    expect(b1.body).toEqual(Buffer.from([0, 1, 2, 255]));
    const [, e2] = await twice(server, '/empty');
    expect([e2.status, e2.body.length, e2.headers['idempotent-replayed']]).toEqual([204, 0, 'true']);
    const [, c2] = await twice(server, '/callback');
    expect([c2.status, c2.body.length, c2.headers['idempotent-replayed']]).toEqual([202, 0, 'true']);
    const [k1, k2] = await twice(server, '/cookies');
    expect([k2.headers['set-cookie'], k2.body.toString()]).toEqual([['a=1', 'b=2'], k1.body.toString()]);
    expect(runs).toEqual({ '/buffer': 1, '/empty': 1, '/callback': 1, '/cookies': 1 });
  });

  it('sends only the first end() of a response, with the status and headers it was stored with', async () => {
    const { server } = app(
      {},
      {
        '/twice': (_req, res) => {
          res.setHeader('Content-Type', 'text/plain');
          res.end('first');
          // A handler bug: a second answer while the first is being stored.
          res.statusCode = 500;
          res.setHeader('Content-Type', 'text/html');
          res.setHeader('X-Late', 'yes');
          res.write('late');
          res.end('second');
        },
      },
    );
    const [first, second] = await twice(server, '/twice');
    expect([first.status, first.headers['content-type'], first.headers['x-late'], first.body.toString()]).toEqual([
      200,
      'text/plain',
      undefined,
      'first',
    ]);
    expect([second.status, second.body.toString(), second.headers['idempotent-replayed']]).toEqual([200, 'first', 'true']);
  });

  it('forwards an error thrown by scope(), and a store that throws instead of rejecting is a 503', async () => {
    const { server: scoped } = app(
      {
        scope: () => {
          throw Object.assign(new Error('No tenant'), { status: 403 });
        },
      },
      { '/x': (_req, res) => res.json({}) },
    );
    const refused = await request(scoped).post('/x').set('Idempotency-Key', 'k').send({});
    expect([refused.status, refused.body.detail]).toEqual([403, 'No tenant']);
    const throwing: IdempotencyStore = {
      ...memoryIdempotencyStore(),
      claim: () => {
        throw new Error('sync');
      },
    };
    const { server: broken } = app({ store: throwing }, { '/x': (_req, res) => res.json({}) });
    const unavailable = await request(broken).post('/x').set('Idempotency-Key', 'k').send({});
    expect([unavailable.status, unavailable.body.code]).toEqual([503, 'IDEMPOTENCY_STORE_UNAVAILABLE']);
  });

  it('logs a response whose lock expired before it finished, and does not store it', async () => {
    const lines: string[] = [];
    const { server, runs } = app(
      { lockMs: 1, log: ({ error }) => lines.push((error as Error).message) },
      {
        '/slow': async (_req, res) => {
          await new Promise((resolve) => setTimeout(resolve, 20));
          res.json({ ok: true });
        },
      },
    );
    await twice(server, '/slow');
    expect(runs).toEqual({ '/slow': 2 });
    expect(lines).toEqual([
      "idempotency: response not stored: the store no longer held this request's lock (it expired: raise lockMs; or the store dropped it)",
      "idempotency: response not stored: the store no longer held this request's lock (it expired: raise lockMs; or the store dropped it)",
    ]);
  });

  it('keeps the key while the handler of a client that went away still runs, then stores its response', async () => {
    let finish: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      finish = resolve;
    });
    let stored: () => void = () => undefined;
    const wasStored = new Promise<void>((resolve) => {
      stored = resolve;
    });
    const memory = memoryIdempotencyStore();
    const store: IdempotencyStore = { ...memory, finish: (...args) => memory.finish(...args).finally(stored) };
    const { server, runs } = app(
      { store },
      {
        '/hold': async (_req, res) => {
          await held;
          res.status(201).json({ ok: true });
        },
      },
    );
    await expect(request(server).post('/hold').set('Idempotency-Key', 'k').send({}).timeout(200)).rejects.toThrow();
    const meanwhile = await request(server).post('/hold').set('Idempotency-Key', 'k').send({});
    expect([meanwhile.status, meanwhile.body.code]).toEqual([409, 'IDEMPOTENCY_KEY_CONFLICT']);
    finish();
    await wasStored;
    const retry = await request(server).post('/hold').set('Idempotency-Key', 'k').send({});
    expect([retry.status, retry.body, retry.headers['idempotent-replayed'], runs]).toEqual([201, { ok: true }, 'true', { '/hold': 1 }]);
  });
});
