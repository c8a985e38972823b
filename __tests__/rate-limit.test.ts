// rateLimit(): the refusal is a 429 in the request's envelope, with the limiter's headers.

import type { ServerResponse } from 'node:http';
import type * as ExpressRateLimit from 'express-rate-limit';
import type { Store } from 'express-rate-limit';
import createError from 'http-errors';
import request from 'supertest';
import { type LogEntry, errorHandler, envelope, notFound, rateLimit, requestId, requestWasSuccessful, responseOutcome } from '../index';
import { EXPRESS_FLAVORS, expressOf } from './helpers/create-app';
import { answered, fakeTimeouts } from './helpers/fake-timeouts';
import { expectEnvelope } from './helpers/expect-envelope';
import { PRESET_CASES } from './helpers/validation-oracle';

const slug = (name: string) => name.replace(/\s+/g, '-');

/** The rate-limit headers of a response, all of them: the legacy ones, the standard ones, the window and Retry-After. */
function limitHeaders(res: request.Response): Record<string, string> {
  return Object.fromEntries(
    Object.entries(res.headers as Record<string, string>).filter(([name]) => /^(x-ratelimit-|ratelimit|retry-after$)/.test(name)),
  );
}
const MESSAGE = 'Too many requests, please try again later.';
const silent = { error: () => undefined, warn: () => undefined };

/** The 429 body each preset must write (docs/reference/presets/*.md, docs/guides/rate-limiting.md), for the default message. */
function refusal(name: string, id: string, instance: string): { status: number; body: unknown } {
  switch (name) {
    case 'vbapi':
      return {
        status: 429,
        body: {
          data: null,
          error: { type: 'https://httpstatuses.com/429', title: 'Too Many Requests', status: 429, detail: MESSAGE, instance },
          debug: { activityId: id },
        },
      };
    case 'backendResponse':
      return { status: 429, body: { ok: false, type: 'error', action: 'error', data: null, message: MESSAGE, meta: null } };
    case 'wispanel panel':
      return { status: 429, body: { success: false, code: 'RATE_LIMITED', error: MESSAGE, message: MESSAGE, status: 429 } };
    case 'wispanel portal':
    case 'wispanel lean':
      return { status: 429, body: { success: false, error: MESSAGE, code: 'RATE_LIMITED' } };
    case 'wispanel license':
      return { status: 429, body: { valid: false, error: MESSAGE, code: 'RATE_LIMITED' } };
    case 'wispanel bare':
      return { status: 429, body: { error: MESSAGE } };
    case 'webServiceReturn':
      return {
        status: 200,
        body: { WebServiceReturn: { Status: 'wrsFailed', ErrorCode: 'WSR-429', Message: MESSAGE, Actor: '', ReturnQuestion: null } },
      };
    case 'statusOk':
      return { status: 429, body: { status: 'error', code: 'too_many_requests', text: MESSAGE } };
    case 'jsend':
      return { status: 429, body: { status: 'fail', data: { message: MESSAGE } } };
    default:
      // RFC 9457's registered type for a quota refusal; only problem prints `type`.
      return {
        status: 429,
        body: {
          type: 'https://iana.org/assignments/http-problem-types#quota-exceeded',
          title: 'Too Many Requests',
          status: 429,
          detail: MESSAGE,
          instance,
        },
      };
  }
}

describe.each(EXPRESS_FLAVORS)('rateLimit() on %s', (flavor) => {
  const exp = expressOf(flavor);

  it.each(PRESET_CASES.map((c) => [c.name, c] as const))('refuses in the %s envelope with every header', async (_name, preset) => {
    const app = exp();
    const base = `/${slug(preset.name)}`;
    app.use(requestId());
    app.use(base, envelope(preset.format as 'vbapi', preset.options as never));
    app.use(base, rateLimit({ limit: 1, windowMs: 60_000, logger: silent }));
    app.get(`${base}/login`, (_req, res) => {
      res.json({ ok: true });
    });
    app.use(notFound());
    app.use(errorHandler());

    // X-RateLimit-Window only where the preset's contract has it: WisPanel, every variant.
    const window = preset.format === 'wispanel' ? { 'x-ratelimit-window': '60' } : {};
    const first = await request(app).get(`${base}/login`);
    expect(first.status).toBe(200);
    expect(limitHeaders(first)).toEqual({
      'x-ratelimit-limit': '1',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': expect.any(String),
      ...window,
    });

    const before = Math.floor(Date.now() / 1000);
    const res = await request(app).get(`${base}/login`);
    const expected = refusal(preset.name, res.headers['x-request-id'], `${base}/login`);
    expectEnvelope(res, {
      format: preset.format,
      options: preset.options,
      kind: 'error',
      status: expected.status,
      body: expected.body,
      contentType: preset.contentType,
    });
    expect(limitHeaders(res)).toEqual({
      'x-ratelimit-limit': '1',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': expect.any(String),
      'retry-after': expect.any(String),
      ...window,
    });
    const reset = Number(res.headers['x-ratelimit-reset']);
    expect(reset).toBeGreaterThanOrEqual(before + 58);
    expect(reset).toBeLessThanOrEqual(before + 61);
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(59);
    expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(60);
  });

  it('passes express-rate-limit options through: standard headers, message, status, window', async () => {
    const app = exp();
    app.use(requestId({ generator: () => 'rl-1' }));
    app.use(envelope('wispanel', { variant: 'lean' }));
    app.use(
      rateLimit({
        limit: 2,
        windowMs: 30_000,
        standardHeaders: 'draft-7',
        legacyHeaders: false,
        message: 'Slow down',
        statusCode: 503,
        logger: silent,
      }),
    );
    app.get('/', (_req, res) => {
      res.json({});
    });
    app.use(errorHandler({ log: false }));
    await request(app).get('/');
    await request(app).get('/');
    const res = await request(app).get('/');
    expectEnvelope(res, {
      format: 'wispanel',
      options: { variant: 'lean' },
      kind: 'error',
      status: 503,
      body: { success: false, error: 'Slow down', code: 'INTERNAL_ERROR' },
      headers: { 'RateLimit-Policy': '2;w=30' },
    });
    expect(res.headers.ratelimit).toMatch(/^limit=2, remaining=0, reset=(29|30)$/);
    expect(limitHeaders(res)).toEqual({ 'ratelimit-policy': '2;w=30', ratelimit: expect.any(String), 'retry-after': expect.any(String) });
  });

  it('counts failed logins that an always-200 envelope answers with HTTP 200', async () => {
    const app = exp();
    app.use(requestId());
    app.use(envelope('webServiceReturn'));
    app.use(exp.json());
    app.post('/login', rateLimit({ limit: 2, skipSuccessfulRequests: true, logger: silent }), (req, res) => {
      if ((req.body as { password?: string }).password !== 'right') throw createError(401, 'Invalid credentials', { code: 'AUTH-001' });
      res.success({ Token: 't' });
    });
    app.use(errorHandler());
    const login = (password: string) => request(app).post('/login').send({ password });
    const wsr = (res: request.Response) => JSON.parse(res.text).WebServiceReturn as Record<string, unknown>;

    for (let i = 0; i < 4; i++) expect(wsr(await login('right')).Status).toBe('wrsSuccess');
    // The failures are HTTP 200 too, but they count: by the outcome, not by the status.
    expect([(await login('wrong')).status, (await login('wrong')).status]).toEqual([200, 200]);
    const refused = await login('right');
    expect([refused.status, wsr(refused).ErrorCode, refused.headers['retry-after'] !== undefined]).toEqual([200, 'WSR-429', true]);
  });

  it('exports the outcome for other code that must not judge by status', async () => {
    const seen: unknown[] = [];
    const app = exp();
    app.use(requestId());
    app.use(envelope('statusOk'));
    app.use((req, res, next) => {
      res.on('finish', () => seen.push([responseOutcome(res), requestWasSuccessful(req, res)]));
      next();
    });
    app.get('/soft', () => {
      throw createError(404, 'No such client');
    });
    app.get('/ok', (_req, res) => {
      res.json({});
    });
    app.get('/text', (_req, res) => {
      res.status(418).send('teapot');
    });
    app.use(errorHandler());
    await request(app).get('/soft');
    await request(app).get('/ok');
    await request(app).get('/text');
    expect(seen).toEqual([
      ['error', false],
      ['success', true],
      [undefined, false],
    ]);
  });

  it('reports a message that is not a string', () => {
    expect(() => rateLimit({ message: { text: 'x' } as never })).toThrow(expect.objectContaining({ code: 'ERR_ENVELOPE_INVALID_OPTION' }));
    expect(() => rateLimit(null as never)).toThrow(expect.objectContaining({ code: 'ERR_ENVELOPE_INVALID_OPTION' }));
    expect(() => rateLimit({ windowHeader: 'yes' as never })).toThrow(
      expect.objectContaining({ code: 'ERR_ENVELOPE_INVALID_OPTION', message: 'rateLimit(): windowHeader must be a boolean' }),
    );
    expect(() => rateLimit({ limit: 5, windowMs: 1000, passOnStoreError: true, ipv6Subnet: 56, logger: console })).not.toThrow();
  });

  it("reports a typo at start-up through express-rate-limit's own validation, without throwing", () => {
    const logger = { error: jest.fn(), warn: jest.fn() };
    expect(() => rateLimit({ lmit: 5, logger } as never)).not.toThrow();
    expect(logger.error).toHaveBeenCalledTimes(1);
    expect(logger.error).toHaveBeenCalledWith(
      expect.objectContaining({
        code: 'ERR_ERL_UNKNOWN_OPTION',
        message: expect.stringMatching(/^Unexpected configuration option: lmit /),
      }),
    );
    // rateLimit()'s own options never reach express-rate-limit, so they are not reported.
    rateLimit({ message: 'Slow down', storeTimeoutMs: 100, windowHeader: true, limit: 3, logger });
    expect(logger.error).toHaveBeenCalledTimes(1);
  });

  it('passes an option of a later express-rate-limit release through, and starts', () => {
    let seen: Record<string, unknown> | undefined;
    let make: typeof rateLimit | undefined;
    jest.isolateModules(() => {
      jest.doMock('express-rate-limit', () => {
        const actual = jest.requireActual<typeof ExpressRateLimit>('express-rate-limit');
        // A later release that knows `concurrency`: its validation accepts it.
        return {
          ...actual,
          rateLimit: (options: Record<string, unknown>) => {
            seen = options;
            const { concurrency: _known, ...rest } = options;
            return actual.rateLimit(rest);
          },
        };
      });
      make = (require('../middleware/rate-limit') as { rateLimit: typeof rateLimit }).rateLimit; // eslint-disable-line @typescript-eslint/no-require-imports
    });
    const logger = { error: jest.fn(), warn: jest.fn() };
    expect(() => make?.({ limit: 3, concurrency: 2, storeTimeoutMs: 100, logger } as never)).not.toThrow();
    expect(seen).toEqual(expect.objectContaining({ limit: 3, concurrency: 2, logger }));
    expect(seen).not.toHaveProperty('storeTimeoutMs');
    expect(seen).not.toHaveProperty('windowHeader');
    expect(logger.error).not.toHaveBeenCalled();
  });

  it.each([
    ['wispanel', { windowHeader: false }, {}],
    ['vbapi', { windowHeader: true }, { 'x-ratelimit-window': '30' }],
    ['wispanel', { legacyHeaders: false }, {}],
    ['problem', {}, {}],
  ] as const)('in a %s envelope with %j, X-RateLimit-Window is %j', async (format, options, window) => {
    const app = exp();
    app.use(requestId());
    app.use(envelope(format));
    app.use(rateLimit({ limit: 5, windowMs: 30_000, logger: silent, ...options }));
    app.get('/', (_req, res) => {
      res.json({});
    });
    app.use(errorHandler());
    const res = await request(app).get('/');
    const legacy =
      'legacyHeaders' in options ? {} : { 'x-ratelimit-limit': '5', 'x-ratelimit-remaining': '4', 'x-ratelimit-reset': expect.any(String) };
    expect(limitHeaders(res)).toEqual({ ...legacy, ...window });
  });
});

const UNAVAILABLE = 'Rate limits cannot be checked right now; retry later';

/** The 503 each preset writes when the store fails or does not answer: the explicit code as the preset renders codes. */
function storeDown(name: string, instance: string): { status: number; body: unknown } {
  const code = 'RATE_LIMIT_STORE_UNAVAILABLE';
  switch (name) {
    case 'vbapi':
      return {
        status: 503,
        body: {
          data: null,
          error: { type: 'https://httpstatuses.com/503', title: 'Service Unavailable', status: 503, detail: UNAVAILABLE, instance },
          debug: { activityId: 'rid' },
        },
      };
    case 'backendResponse':
      return { status: 503, body: { ok: false, type: 'error', action: 'error', data: null, message: UNAVAILABLE, meta: null } };
    case 'wispanel panel':
      return { status: 503, body: { success: false, code, error: UNAVAILABLE, message: UNAVAILABLE, status: 503 } };
    case 'wispanel portal':
    case 'wispanel lean':
      return { status: 503, body: { success: false, error: UNAVAILABLE, code } };
    case 'wispanel license':
      return { status: 503, body: { valid: false, error: UNAVAILABLE, code } };
    case 'wispanel bare':
      return { status: 503, body: { error: UNAVAILABLE } };
    case 'webServiceReturn':
      // Every 5xx is HTTP 500 in this preset; the explicit code replaces WSR-<status>.
      return {
        status: 500,
        body: { WebServiceReturn: { Status: 'wrsFailed', ErrorCode: code, Message: UNAVAILABLE, Actor: '', ReturnQuestion: null } },
      };
    case 'statusOk':
      return { status: 503, body: { status: 'error', code, text: UNAVAILABLE } };
    case 'jsend':
      return { status: 503, body: { status: 'error', message: UNAVAILABLE, code } };
    default:
      return { status: 503, body: { type: 'about:blank', title: 'Service Unavailable', status: 503, detail: UNAVAILABLE, instance, code } };
  }
}

/** A store whose increment() does what `answer` says; `calls` resolves on each call, so a test knows the request is waiting on it. */
function scriptedStore(answer: () => unknown): Store & { called: () => Promise<void>; count: () => number } {
  let count = 0;
  let wake: (() => void) | undefined;
  let waiting = new Promise<void>((resolve) => (wake = resolve));
  return {
    increment: () => {
      count++;
      wake?.();
      waiting = new Promise<void>((resolve) => (wake = resolve));
      return answer() as never;
    },
    decrement: async () => undefined,
    resetKey: async () => undefined,
    called: () => (count > 0 ? Promise.resolve() : waiting),
    count: () => count,
  };
}

const NEVER = (): Promise<never> => new Promise<never>(() => undefined);
const DOWN = async (): Promise<never> => {
  throw new Error('connect ECONNREFUSED 10.0.3.7:6379');
};

describe.each(EXPRESS_FLAVORS)('rateLimit() when the store fails or does not answer, on %s', (flavor) => {
  const exp = expressOf(flavor);

  /** An app with rateLimit() on `store`; `responses` sees each response before the limiter runs. */
  function appWith(preset: { format: unknown; options?: unknown }, options: Parameters<typeof rateLimit>[0], log: LogEntry[] = []) {
    const app = exp();
    const responses: ServerResponse[] = [];
    app.use(requestId({ generator: () => 'rid' }));
    app.use(envelope(preset.format as 'vbapi', preset.options as never));
    app.use((_req, res, next) => {
      responses.push(res);
      next();
    });
    app.use(rateLimit({ logger: silent, ...options }));
    app.get('/login', (_req, res) => {
      res.json({ ok: true });
    });
    app.use(errorHandler({ log: (entry) => log.push(entry) }));
    return { app, responses };
  }

  afterEach(() => {
    jest.useRealTimers();
  });
  // The guard of answered() fails a waiting request after 10 s; the test's own timeout is above it.
  jest.setTimeout(20_000);

  it.each(PRESET_CASES.map((c) => [c.name, c] as const))(
    'answers a 503 in the %s envelope when the store never answers (after 2000 ms)',
    async (_name, preset) => {
      fakeTimeouts();
      const store = scriptedStore(NEVER);
      const log: LogEntry[] = [];
      const { app, responses } = appWith(preset, { store }, log);
      const pending = request(app)
        .get('/login')
        .then((res) => res);
      await store.called();
      jest.advanceTimersByTime(1999);
      expect(responses[0].headersSent).toBe(false);
      jest.advanceTimersByTime(1);
      const res = await answered(pending);
      const expected = storeDown(preset.name, '/login');
      expectEnvelope(res, {
        format: preset.format,
        options: preset.options,
        kind: 'error',
        status: expected.status,
        body: expected.body,
        contentType: preset.contentType,
        headers: { 'Retry-After': '5' },
      });
      expect([res.headers['x-ratelimit-limit'], res.headers['x-ratelimit-remaining']]).toEqual([undefined, undefined]);
      // Logged with the request id; the store's trouble is the cause, never the body.
      expect(log).toEqual([
        expect.objectContaining({
          requestId: 'rid',
          status: 503,
          error: expect.objectContaining({
            code: 'RATE_LIMIT_STORE_UNAVAILABLE',
            cause: new Error('rate-limit store did not answer within 2000 ms'),
          }),
        }),
      ]);
    },
  );

  it.each(PRESET_CASES.map((c) => [c.name, c] as const))(
    'answers a 503 in the %s envelope when the store fails, never a 500',
    async (_name, preset) => {
      const log: LogEntry[] = [];
      const { app } = appWith(preset, { store: scriptedStore(DOWN) }, log);
      const res = await request(app).get('/login');
      const expected = storeDown(preset.name, '/login');
      expectEnvelope(res, {
        format: preset.format,
        options: preset.options,
        kind: 'error',
        status: expected.status,
        body: expected.body,
        contentType: preset.contentType,
        headers: { 'Retry-After': '5' },
      });
      expect(res.text).not.toContain('ECONNREFUSED');
      expect(log).toEqual([
        expect.objectContaining({
          status: 503,
          error: expect.objectContaining({ cause: new Error('connect ECONNREFUSED 10.0.3.7:6379') }),
        }),
      ]);
    },
  );

  it('waits exactly storeTimeoutMs', async () => {
    fakeTimeouts();
    const store = scriptedStore(NEVER);
    const { app, responses } = appWith({ format: 'statusOk' }, { store, storeTimeoutMs: 250 });
    const pending = request(app)
      .get('/login')
      .then((res) => res);
    await store.called();
    jest.advanceTimersByTime(249);
    expect(responses[0].headersSent).toBe(false);
    jest.advanceTimersByTime(1);
    expectEnvelope(await answered(pending), {
      format: 'statusOk',
      kind: 'error',
      status: 503,
      body: { status: 'error', code: 'RATE_LIMIT_STORE_UNAVAILABLE', text: UNAVAILABLE },
      headers: { 'Retry-After': '5' },
    });
  });

  it('answers a 503 for a store reply that is not a count', async () => {
    for (const reply of [undefined, null, {}, { totalHits: '3' }]) {
      const { app } = appWith({ format: 'jsend' }, { store: scriptedStore(async () => reply) });
      const res = await request(app).get('/login');
      expect([res.status, res.body]).toEqual([503, { status: 'error', message: UNAVAILABLE, code: 'RATE_LIMIT_STORE_UNAVAILABLE' }]);
    }
    // A store that throws synchronously is a failure too.
    const { app } = appWith(
      { format: 'jsend' },
      {
        store: scriptedStore(() => {
          throw new Error('boom');
        }),
      },
    );
    expect((await request(app).get('/login')).status).toBe(503);
  });

  it('drops the late answer of a call that timed out, and counts again once the store answers', async () => {
    fakeTimeouts();
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    process.on('unhandledRejection', onRejection);
    try {
      let late: ((reply: unknown) => void) | undefined;
      let hits = 0;
      const store = scriptedStore(() =>
        hits === 0 ? new Promise((resolve) => (late = resolve)) : Promise.resolve({ totalHits: ++hits, resetTime: undefined }),
      );
      const { app } = appWith({ format: 'statusOk' }, { store, limit: 5 });
      const pending = request(app)
        .get('/login')
        .then((res) => res);
      await store.called();
      jest.advanceTimersByTime(2000);
      expect((await answered(pending)).status).toBe(503);
      hits = 1;
      late?.({ totalHits: 1, resetTime: undefined });
      const next = await request(app).get('/login');
      expect([next.status, next.headers['x-ratelimit-remaining']]).toEqual([200, '3']);
      expect(jest.getTimerCount()).toBe(0);
      await new Promise((resolve) => setImmediate(resolve));
      expect(rejections).toEqual([]);
    } finally {
      process.off('unhandledRejection', onRejection);
    }
  });

  it('lets the request through with passOnStoreError: true, and logs why', async () => {
    fakeTimeouts();
    const logger = { error: jest.fn(), warn: jest.fn() };
    const hanging = scriptedStore(NEVER);
    const slow = appWith({ format: 'vbapi' }, { store: hanging, passOnStoreError: true, logger });
    const pending = request(slow.app)
      .get('/login')
      .then((res) => res);
    await hanging.called();
    jest.advanceTimersByTime(1999);
    expect(slow.responses[0].headersSent).toBe(false);
    jest.advanceTimersByTime(1);
    const passed = await answered(pending);
    expectEnvelope(passed, {
      format: 'vbapi',
      kind: 'success',
      status: 200,
      body: { data: { ok: true }, error: null, debug: { activityId: 'rid' } },
    });
    expect(passed.headers['x-ratelimit-limit']).toBeUndefined();

    const failing = appWith({ format: 'vbapi' }, { store: scriptedStore(DOWN), passOnStoreError: true, logger });
    expect((await request(failing.app).get('/login')).status).toBe(200);
    expect(logger.error.mock.calls).toEqual([
      [
        new Error('rate-limit store did not answer within 2000 ms'),
        'express-rate-limit: error from store, allowing request without rate-limiting.',
      ],
      [new Error('connect ECONNREFUSED 10.0.3.7:6379'), 'express-rate-limit: error from store, allowing request without rate-limiting.'],
    ]);
  });

  it('refuses a storeTimeoutMs that is not a positive integer', () => {
    for (const storeTimeoutMs of [0, -1, 1.5, '2000', Number.NaN, Infinity, 2 ** 31]) {
      expect(() => rateLimit({ storeTimeoutMs: storeTimeoutMs as number })).toThrow(
        expect.objectContaining({
          code: 'ERR_ENVELOPE_INVALID_OPTION',
          message: 'rateLimit(): storeTimeoutMs must be an integer from 1 to 2147483647',
        }),
      );
    }
  });
});
