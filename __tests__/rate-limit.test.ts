// rateLimit(): the refusal is a 429 in the request's envelope, with the limiter's headers.

import createError from 'http-errors';
import request from 'supertest';
import { errorHandler, envelope, notFound, rateLimit, requestId, requestWasSuccessful, responseOutcome } from '../index';
import { EXPRESS_FLAVORS, expressOf } from './helpers/create-app';
import { expectEnvelope } from './helpers/expect-envelope';
import { PRESET_CASES } from './helpers/validation-oracle';

const slug = (name: string) => name.replace(/\s+/g, '-');
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
      return { status: 429, body: { type: 'https://iana.org/assignments/http-problem-types#quota-exceeded', title: 'Too Many Requests', status: 429, detail: MESSAGE, instance } };
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

    const first = await request(app).get(`${base}/login`);
    expect(first.status).toBe(200);
    expect([first.headers['x-ratelimit-limit'], first.headers['x-ratelimit-remaining'], first.headers['x-ratelimit-window']]).toEqual([
      '1',
      '0',
      '60',
    ]);
    expect(first.headers['retry-after']).toBeUndefined();

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
      headers: { 'X-RateLimit-Limit': '1', 'X-RateLimit-Remaining': '0', 'X-RateLimit-Window': '60' },
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
    app.use(rateLimit({ limit: 2, windowMs: 30_000, standardHeaders: 'draft-7', legacyHeaders: false, message: 'Slow down', statusCode: 503, logger: silent }));
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
    expect([res.headers['x-ratelimit-limit'], res.headers['x-ratelimit-window']]).toEqual([undefined, undefined]);
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
    // A typo of an express-rate-limit option is reported, not silently ignored.
    expect(() => rateLimit({ lmit: 5 } as never)).toThrow(
      expect.objectContaining({ code: 'ERR_ENVELOPE_UNKNOWN_OPTION', message: expect.stringMatching(/^rateLimit\(\): unknown option "lmit"; known options are windowMs, limit, max, /) }),
    );
    expect(() => rateLimit({ limit: 5, windowMs: 1000, passOnStoreError: true, ipv6Subnet: 56, logger: console })).not.toThrow();
  });
});
