// The retry policy of envelopeFetch() on fake timers: what is sent again, when, and when it stops.
// A fake fetch answers from a script; no socket, no real waiting.

import { envelopeFetch } from '../../client';
import type { EnvelopeFetchOptions } from '../../client';

type Answer = Response | Error;

/** A fetch that answers the scripted responses in turn (the last one again when they run out) and records each call. */
function scripted(...answers: (() => Answer)[]) {
  const calls: { input: unknown; init: RequestInit | undefined; key: string | null; at: number }[] = [];
  const fetch = async (input: unknown, init?: RequestInit): Promise<Response> => {
    const headers = new Headers(input instanceof Request && init?.headers === undefined ? input.headers : init?.headers);
    calls.push({ input, init, key: headers.get('Idempotency-Key'), at: Date.now() });
    const answer = answers[Math.min(calls.length - 1, answers.length - 1)]();
    if (answer instanceof Error) throw answer;
    return answer;
  };
  return { fetch, calls };
}

const jsend =
  (status: number, body: unknown, headers: Record<string, string> = {}) =>
  (): Response =>
    new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });
const okAnswer = jsend(200, { status: 'success', data: { id: 1 } });
const unavailable = (headers: Record<string, string> = {}) => jsend(503, { status: 'error', message: 'Service Unavailable' }, headers);
const networkError = () => (): Error => new TypeError('fetch failed', { cause: new Error('socket hang up') });

const OK = { ok: true, kind: 'success', status: 200, data: { id: 1 } };
const UNAVAILABLE = { ok: false, kind: 'error', status: 503, message: 'Service Unavailable', issues: [] };

function client(fetch: (input: unknown, init?: RequestInit) => Promise<Response>, options: Omit<EnvelopeFetchOptions, 'fetch'> = {}) {
  return envelopeFetch('jsend', { fetch, retry: true, ...options });
}

beforeEach(() => {
  jest.useFakeTimers({ now: Date.UTC(2026, 0, 15, 12, 0, 0) });
  jest.spyOn(Math, 'random').mockReturnValue(0.5);
});

afterEach(() => {
  jest.useRealTimers();
  jest.restoreAllMocks();
});

/** Lets the promise chain run without moving the clock. */
const settle = () => jest.advanceTimersByTimeAsync(0);

describe('waits at least what the server asks for', () => {
  test.each([
    ['delay-seconds', () => '5'],
    ['an IMF-fixdate', () => new Date(Date.now() + 5000).toUTCString()],
    ['an obsolete RFC 850 date', () => 'Thursday, 15-Jan-26 12:00:05 GMT'],
    ['an obsolete asctime date (read as GMT)', () => 'Thu Jan 15 12:00:05 2026'],
  ])('Retry-After as %s: not one millisecond early', async (_form, value) => {
    const { fetch, calls } = scripted(unavailable({ 'Retry-After': value() }), okAnswer);
    const result = client(fetch)('https://api.example/items');
    await jest.advanceTimersByTimeAsync(4999);
    expect(calls).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(calls).toHaveLength(2);
    await expect(result).resolves.toStrictEqual({ ...OK, attempts: 2 });
    expect(calls[1].at - calls[0].at).toBe(5000);
  });

  test.each([
    ['RateLimit-Reset (draft 6)', { 'RateLimit-Reset': '7' }],
    ['RateLimit with reset= (draft 7)', { RateLimit: 'limit=10, remaining=0, reset=7' }],
    ['RateLimit with t= (draft 8)', { RateLimit: '"default";r=0;t=7' }],
    ['the larger of Retry-After and RateLimit-Reset', { 'Retry-After': '3', 'RateLimit-Reset': '7' }],
  ])('%s', async (_name, headers) => {
    const { fetch, calls } = scripted(jsend(429, { status: 'error', message: 'Too many requests' }, headers), okAnswer);
    const result = client(fetch)('https://api.example/items');
    await jest.advanceTimersByTimeAsync(6999);
    expect(calls).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1);
    await expect(result).resolves.toStrictEqual({ ...OK, attempts: 2 });
  });

  test('Retry-After: 1.5 and -1 are not delay-seconds: they are ignored and the backoff applies', async () => {
    for (const value of ['1.5', '-1']) {
      const { fetch, calls } = scripted(unavailable({ 'Retry-After': value }), okAnswer);
      const result = client(fetch)('https://api.example/items');
      // Backoff with Math.random() = 0.5: 150 + 75 ms.
      await jest.advanceTimersByTimeAsync(224);
      expect(calls).toHaveLength(1);
      await jest.advanceTimersByTimeAsync(1);
      await expect(result).resolves.toStrictEqual({ ...OK, attempts: 2 });
    }
  });

  test('a server asking for longer than maxDelayMs gets its answer back, unretried', async () => {
    const { fetch, calls } = scripted(unavailable({ 'Retry-After': '60' }), okAnswer);
    await expect(client(fetch)('https://api.example/items')).resolves.toStrictEqual({ ...UNAVAILABLE, retryAfter: 60, attempts: 1 });
    expect(calls).toHaveLength(1);
  });
});

describe('jittered exponential backoff when the server says nothing', () => {
  test.each([
    [0, [150, 300, 600]],
    [0.5, [225, 450, 900]],
    [0.999, [300, 600, 1199]],
  ])('Math.random() = %s: waits %j', async (random, waits) => {
    jest.spyOn(Math, 'random').mockReturnValue(random);
    const { fetch, calls } = scripted(networkError(), networkError(), networkError(), okAnswer);
    const result = client(fetch, { retry: { limit: 3 } })('https://api.example/items');
    await jest.runAllTimersAsync();
    await expect(result).resolves.toStrictEqual({ ...OK, attempts: 4 });
    expect(calls.slice(1).map((call, i) => call.at - calls[i].at)).toEqual(waits);
  });

  test('capped by maxDelayMs', async () => {
    jest.spyOn(Math, 'random').mockReturnValue(0.999);
    const { fetch, calls } = scripted(networkError(), networkError(), networkError(), okAnswer);
    const result = client(fetch, { retry: { limit: 3, maxDelayMs: 500 } })('https://api.example/items');
    await jest.runAllTimersAsync();
    await expect(result).resolves.toStrictEqual({ ...OK, attempts: 4 });
    expect(calls.slice(1).map((call, i) => call.at - calls[i].at)).toEqual([300, 500, 500]);
  });
});

describe('only what is safe to send again', () => {
  test('a POST without an Idempotency-Key is never retried', async () => {
    for (const answer of [unavailable(), networkError()]) {
      const { fetch, calls } = scripted(answer, okAnswer);
      const result = client(fetch, { retry: { limit: 5 } })('https://api.example/orders', { method: 'POST', body: '{}' });
      const settled = await result.then(
        (value) => value,
        (error: unknown) => error,
      );
      expect(calls).toHaveLength(1);
      expect(jest.getTimerCount()).toBe(0);
      if (settled instanceof Error) expect(settled).toMatchObject({ name: 'TypeError', message: 'fetch failed' });
      else expect(settled).toStrictEqual({ ...UNAVAILABLE, attempts: 1 });
    }
    // PATCH likewise.
    const { fetch, calls } = scripted(unavailable(), okAnswer);
    await expect(client(fetch)('https://api.example/orders/1', { method: 'patch', body: '{}' })).resolves.toStrictEqual({
      ...UNAVAILABLE,
      attempts: 1,
    });
    expect(calls).toHaveLength(1);
  });

  test("idempotencyKey: 'auto' makes one key per call and sends it on every attempt of that call", async () => {
    const uuids = ['11111111-1111-4111-8111-111111111111', '22222222-2222-4222-8222-222222222222'];
    jest
      .spyOn(globalThis.crypto, 'randomUUID')
      .mockImplementation(() => uuids.shift() as `${string}-${string}-${string}-${string}-${string}`);
    const { fetch, calls } = scripted(unavailable(), networkError(), okAnswer);
    const api = client(fetch, { idempotencyKey: 'auto' });
    const first = api('https://api.example/orders', {
      method: 'POST',
      body: '{"sku":"A"}',
      headers: { 'Content-Type': 'application/json' },
    });
    await jest.runAllTimersAsync();
    await expect(first).resolves.toStrictEqual({ ...OK, attempts: 3 });
    expect(calls.map((call) => call.key)).toEqual(Array(3).fill('11111111-1111-4111-8111-111111111111'));
    expect(calls.map((call) => new Headers(call.init?.headers).get('Content-Type'))).toEqual(Array(3).fill('application/json'));
    expect(calls.map((call) => call.init?.body)).toEqual(Array(3).fill('{"sku":"A"}'));
    const second = api('https://api.example/orders', { method: 'POST', body: '{"sku":"B"}' });
    await jest.runAllTimersAsync();
    await second;
    expect(calls[3].key).toBe('22222222-2222-4222-8222-222222222222');
  });

  test('a key the call carries is kept, in a Headers, an array or a record, and makes the POST retryable', async () => {
    for (const headers of [
      new Headers({ 'idempotency-key': 'k-1' }),
      [['Idempotency-Key', 'k-1']] as [string, string][],
      { 'IDEMPOTENCY-KEY': 'k-1' },
    ]) {
      const { fetch, calls } = scripted(unavailable(), okAnswer);
      const result = client(fetch, { idempotencyKey: 'auto' })('https://api.example/orders', { method: 'POST', body: '{}', headers });
      await jest.runAllTimersAsync();
      await expect(result).resolves.toStrictEqual({ ...OK, attempts: 2 });
      expect(calls.map((call) => call.key)).toEqual(['k-1', 'k-1']);
    }
  });

  test('a Request input is cloned for each attempt, body and key included', async () => {
    const { fetch, calls } = scripted(unavailable(), okAnswer);
    const request = new Request('https://api.example/orders', { method: 'POST', body: '{"sku":"A"}' });
    const result = client(fetch, { idempotencyKey: 'fixed-key-1' })(request);
    await jest.runAllTimersAsync();
    await expect(result).resolves.toStrictEqual({ ...OK, attempts: 2 });
    expect(calls.map((call) => call.key)).toEqual(['fixed-key-1', 'fixed-key-1']);
    expect(await Promise.all(calls.map((call) => (call.input as Request).text()))).toEqual(['{"sku":"A"}', '{"sku":"A"}']);
    expect(request.bodyUsed).toBe(false);
  });

  test('a stream body is sent once: it cannot be read a second time', async () => {
    const { fetch, calls } = scripted(unavailable(), okAnswer);
    const body = new ReadableStream({ start: (controller) => controller.close() });
    await expect(
      client(fetch)('https://api.example/files/1', { method: 'PUT', body, duplex: 'half' } as RequestInit),
    ).resolves.toStrictEqual({ ...UNAVAILABLE, attempts: 1 });
    expect(calls).toHaveLength(1);
  });

  test('GET, HEAD, OPTIONS, PUT and DELETE are retried by default; methods narrows them', async () => {
    for (const method of ['GET', 'head', 'OPTIONS', 'PUT', 'DELETE']) {
      const { fetch, calls } = scripted(unavailable(), okAnswer);
      const result = client(fetch)('https://api.example/items/1', { method });
      await jest.runAllTimersAsync();
      await expect(result).resolves.toStrictEqual({ ...OK, attempts: 2 });
      expect(calls).toHaveLength(2);
    }
    const { fetch, calls } = scripted(unavailable(), okAnswer);
    await expect(
      client(fetch, { retry: { methods: ['GET'] } })('https://api.example/items/1', { method: 'DELETE' }),
    ).resolves.toStrictEqual({ ...UNAVAILABLE, attempts: 1 });
    expect(calls).toHaveLength(1);
  });
});

describe('only answers worth asking again', () => {
  test.each([408, 429, 502, 503, 504])('%s is retried', async (status) => {
    const { fetch, calls } = scripted(jsend(status, { status: 'error', message: 'Later' }), okAnswer);
    const result = client(fetch)('https://api.example/items');
    await jest.runAllTimersAsync();
    await expect(result).resolves.toStrictEqual({ ...OK, attempts: 2 });
    expect(calls).toHaveLength(2);
  });

  test.each([400, 401, 403, 404, 409, 422, 500, 501])('%s is final', async (status) => {
    const { fetch, calls } = scripted(jsend(status, { status: 'error', message: 'No' }), okAnswer);
    await expect(client(fetch)('https://api.example/items')).resolves.toStrictEqual({
      ok: false,
      kind: 'error',
      status,
      message: 'No',
      issues: [],
      attempts: 1,
    });
    expect(calls).toHaveLength(1);
  });

  test("the envelope's store-unavailable refusals are retried whatever their status", async () => {
    for (const code of ['IDEMPOTENCY_STORE_UNAVAILABLE', 'RATE_LIMIT_STORE_UNAVAILABLE']) {
      const { fetch, calls } = scripted(jsend(500, { status: 'error', message: 'Store down', code }), okAnswer);
      const result = client(fetch)('https://api.example/items');
      await jest.runAllTimersAsync();
      await expect(result).resolves.toStrictEqual({ ...OK, attempts: 2 });
      expect(calls).toHaveLength(2);
    }
  });

  test('a business error on HTTP 200 is final (statusOk, webServiceReturn)', async () => {
    const { fetch, calls } = scripted(
      () => new Response('{"status":"error","code":"out_of_stock","text":"Out of stock"}', { status: 200 }),
    );
    const api = envelopeFetch('statusOk', { fetch, retry: { statuses: [429, 503] } });
    await expect(api('https://api.example/items')).resolves.toStrictEqual({
      ok: false,
      kind: 'error',
      status: 200,
      code: 'out_of_stock',
      message: 'Out of stock',
      issues: [],
      attempts: 1,
    });
    expect(calls).toHaveLength(1);
  });

  test("a catalog's retryable has the last word on its codes", async () => {
    const catalog = {
      codes: ['LEDGER_BUSY', 'CARD_DECLINED'] as const,
      definitions: { LEDGER_BUSY: { retryable: true }, CARD_DECLINED: { retryable: false } },
    };
    const busy = scripted(jsend(409, { status: 'error', message: 'Busy', code: 'LEDGER_BUSY' }), okAnswer);
    const result = envelopeFetch('jsend', { fetch: busy.fetch, retry: true, catalog })('https://api.example/ledger');
    await jest.runAllTimersAsync();
    await expect(result).resolves.toStrictEqual({ ...OK, attempts: 2 });
    const declined = scripted(jsend(503, { status: 'error', message: 'Declined', code: 'CARD_DECLINED' }), okAnswer);
    await expect(envelopeFetch('jsend', { fetch: declined.fetch, retry: true, catalog })('https://api.example/pay')).resolves.toMatchObject(
      { status: 503, code: 'CARD_DECLINED', attempts: 1 },
    );
    expect(declined.calls).toHaveLength(1);
  });

  test("a proxy's HTML 502 is retried; when it stays, its decode error is what the call rejects with", async () => {
    const { fetch, calls } = scripted(() => new Response('<h1>Bad Gateway</h1>', { status: 502 }));
    const result = client(fetch, { retry: { limit: 1 } })('https://api.example/items');
    const settled = result.then(
      () => undefined,
      (error: unknown) => error,
    );
    await jest.runAllTimersAsync();
    expect(await settled).toMatchObject({ code: 'ERR_ENVELOPE_DECODE', status: 502 });
    expect(calls).toHaveLength(2);
  });

  test('a TypeError that is the calling code mistake (an invalid URL) is not retried', async () => {
    const { fetch, calls } = scripted(() => new TypeError('Failed to parse URL from ::'));
    await expect(client(fetch)('::')).rejects.toThrow('Failed to parse URL from ::');
    expect(calls).toHaveLength(1);
  });
});

describe('stops', () => {
  test('at limit: limit 2 is at most 3 attempts, and the last answer is the result', async () => {
    const { fetch, calls } = scripted(unavailable());
    const result = client(fetch)('https://api.example/items');
    await jest.runAllTimersAsync();
    await expect(result).resolves.toStrictEqual({ ...UNAVAILABLE, attempts: 3 });
    expect(calls).toHaveLength(3);
  });

  test('at limit with network errors: the last error is thrown', async () => {
    const { fetch, calls } = scripted(networkError());
    const settled = client(fetch, { retry: { limit: 1 } })('https://api.example/items').then(
      () => undefined,
      (error: unknown) => error,
    );
    await jest.runAllTimersAsync();
    expect(await settled).toMatchObject({ name: 'TypeError', message: 'fetch failed' });
    expect(calls).toHaveLength(2);
  });

  test('limit 0 is one attempt', async () => {
    const { fetch, calls } = scripted(unavailable(), okAnswer);
    await expect(client(fetch, { retry: { limit: 0 } })('https://api.example/items')).resolves.toStrictEqual({
      ...UNAVAILABLE,
      attempts: 1,
    });
    expect(calls).toHaveLength(1);
  });

  test('at the deadline: no wait runs past it, no attempt starts after it', async () => {
    // Retry-After 2 s twice fits in 5 s; a third wait would end at 6 s.
    const { fetch, calls } = scripted(unavailable({ 'Retry-After': '2' }));
    const result = client(fetch, { retry: { limit: 10, deadlineMs: 5000 } })('https://api.example/items');
    await jest.runAllTimersAsync();
    await expect(result).resolves.toStrictEqual({ ...UNAVAILABLE, retryAfter: 2, attempts: 3 });
    expect(calls.map((call) => call.at - calls[0].at)).toEqual([0, 2000, 4000]);
  });

  test('retries are off by default', async () => {
    const { fetch, calls } = scripted(unavailable(), okAnswer);
    await expect(envelopeFetch('jsend', { fetch })('https://api.example/items')).resolves.toStrictEqual(UNAVAILABLE);
    expect(calls).toHaveLength(1);
  });
});

describe("the caller's AbortSignal", () => {
  test('an abort during a wait ends it at once, with the signal reason, and nothing is sent again', async () => {
    const { fetch, calls } = scripted(unavailable({ 'Retry-After': '20' }), okAnswer);
    const controller = new AbortController();
    const settled = client(fetch)('https://api.example/items', { signal: controller.signal }).then(
      () => 'resolved',
      (error: unknown) => error,
    );
    await jest.advanceTimersByTimeAsync(10);
    expect(jest.getTimerCount()).toBe(1);
    const reason = new Error('user left the page');
    controller.abort(reason);
    await settle();
    expect(await settled).toBe(reason);
    expect(jest.getTimerCount()).toBe(0);
    await jest.advanceTimersByTimeAsync(60_000);
    expect(calls).toHaveLength(1);
  });

  test('an abort without a reason rejects with an AbortError', async () => {
    const { fetch } = scripted(unavailable({ 'Retry-After': '20' }));
    const controller = new AbortController();
    const settled = client(fetch)('https://api.example/items', { signal: controller.signal }).then(
      () => 'resolved',
      (error: unknown) => error,
    );
    await settle();
    controller.abort();
    await settle();
    expect(await settled).toMatchObject({ name: 'AbortError' });
  });

  test('an aborted fetch is not retried', async () => {
    const controller = new AbortController();
    const { fetch, calls } = scripted(() => {
      controller.abort();
      return Object.assign(new Error('This operation was aborted'), { name: 'AbortError' });
    });
    await expect(client(fetch)('https://api.example/items', { signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
    expect(calls).toHaveLength(1);
  });
});

describe('mistakes are refused when the client is made, with a code', () => {
  test.each([
    [{ retry: { limit: -1 } }, 'ERR_ENVELOPE_INVALID_OPTION', 'retry: limit must be an integer from 0'],
    [{ retry: { limit: 1.5 } }, 'ERR_ENVELOPE_INVALID_OPTION', 'retry: limit must be an integer'],
    [{ retry: { maxDelayMs: '5s' } }, 'ERR_ENVELOPE_INVALID_OPTION', 'retry: maxDelayMs must be an integer'],
    [{ retry: { deadlineMs: Infinity } }, 'ERR_ENVELOPE_INVALID_OPTION', 'retry: deadlineMs must be an integer'],
    [{ retry: { methods: ['POST'] } }, 'ERR_ENVELOPE_INVALID_OPTION', 'POST and PATCH are retried only with an Idempotency-Key'],
    [{ retry: { methods: 'GET' } }, 'ERR_ENVELOPE_INVALID_OPTION', 'methods must be an array'],
    [{ retry: { statuses: [200] } }, 'ERR_ENVELOPE_INVALID_OPTION', 'statuses must be an array of HTTP statuses from 400 to 599'],
    [{ retry: 'yes' }, 'ERR_ENVELOPE_INVALID_OPTION', 'retry: must be true, false or an object'],
    [{ retry: { limt: 3 } }, 'ERR_ENVELOPE_UNKNOWN_OPTION', 'retry: unknown option "limt"'],
    [{ retry: JSON.parse('{"constructor":1}') }, 'ERR_ENVELOPE_UNKNOWN_OPTION', 'retry: unknown option "constructor"'],
    [JSON.parse('{"constructor":1}'), 'ERR_ENVELOPE_UNKNOWN_OPTION', 'unknown option "constructor"'],
    [{ toString: 'x' }, 'ERR_ENVELOPE_UNKNOWN_OPTION', 'unknown option "toString"'],
    [{ idempotencyKey: 'has space' }, 'ERR_ENVELOPE_INVALID_OPTION', 'idempotencyKey must be "auto" or 1 to 255 characters'],
    [{ idempotencyKey: 42 }, 'ERR_ENVELOPE_INVALID_OPTION', 'idempotencyKey must be "auto"'],
    [{ catalog: { codes: 'A' } }, 'ERR_ENVELOPE_INVALID_OPTION', 'catalog must be an error catalog'],
    [{ requestIdHeader: 5 }, 'ERR_ENVELOPE_INVALID_OPTION', 'requestIdHeader must be a header name'],
    [{ fetch: 'fetch' }, 'ERR_ENVELOPE_INVALID_OPTION', 'the option "fetch" must be a function'],
  ])('%j', (options, code, message) => {
    let thrown: unknown;
    try {
      envelopeFetch('jsend', options as EnvelopeFetchOptions);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ code });
    expect((thrown as Error).message).toContain(message);
  });

  test('options that are not an object', () => {
    expect(() => envelopeFetch('jsend', null as unknown as EnvelopeFetchOptions)).toThrow(
      expect.objectContaining({ code: 'ERR_ENVELOPE_INVALID_OPTION' }),
    );
  });
});
