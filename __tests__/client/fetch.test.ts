// envelopeFetch() against the demo server (examples/app.js) on a real socket, for every preset:
// what the server sends is what the client reads, on every path the demo shows.

import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Application } from 'express';
import { envelopeFetch } from '../../client';
import type { ClientPreset, Decoded } from '../../client';
import { assertSchema } from '../helpers/expect-envelope';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createDemoApp } = require('../../examples/app') as { createDemoApp: () => Application };

const CLIENT = { id: 1, name: 'Example' };
const CREATED = { id: 2, name: 'New client' };
const INFO = { max_tickets: 3 };
const BAD_REQUEST = 'The "from" date must be before "to"';
const MALFORMED = 'Malformed request body';
const LIMITED = 'Too many requests, please try again later.';

type Scenario = 'success' | 'info' | 'created' | 'notFound' | 'badRequest' | 'crash' | 'malformed' | 'unknown';

const REQUESTS: Record<Scenario, [string, RequestInit?]> = {
  success: ['/clients/1'],
  info: ['/info'],
  created: ['/clients', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"name":"New client"}' }],
  notFound: ['/clients/404'],
  badRequest: ['/bad-request'],
  crash: ['/crash'],
  malformed: ['/clients', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"name": "New client",' }],
  unknown: ['/no-such-route'],
};

const ok = (status: number, data: unknown, extra: Record<string, unknown> = {}): Decoded =>
  ({ ok: true, kind: 'success', status, data, ...extra }) as Decoded;
const failed = (status: number, message: string, extra: Record<string, unknown> = {}): Decoded =>
  ({ ok: false, kind: 'error', status, message, issues: [], ...extra }) as Decoded;

interface Preset {
  prefix: string;
  preset: ClientPreset;
  expected: Record<Scenario, Decoded>;
  limited: Decoded;
}

const PRESETS: Preset[] = [
  {
    prefix: '/vbapi',
    preset: 'vbapi',
    expected: {
      success: ok(200, CLIENT),
      info: ok(200, INFO),
      created: ok(201, CREATED),
      notFound: failed(404, 'Client not found'),
      badRequest: failed(400, BAD_REQUEST),
      crash: failed(500, 'Internal Server Error'),
      malformed: failed(400, `Validation failed: ${MALFORMED}`),
      unknown: failed(404, 'Not Found'),
    },
    limited: failed(429, LIMITED),
  },
  {
    prefix: '/backend-response',
    preset: 'wisphub',
    expected: {
      success: ok(200, CLIENT, { action: 'success' }),
      info: ok(200, INFO, { kind: 'info', action: 'zone_ticket_limit_reached' }),
      created: ok(201, CREATED, { action: 'success' }),
      notFound: failed(404, 'Client not found', { action: 'error' }),
      badRequest: failed(400, BAD_REQUEST, { action: 'error' }),
      crash: failed(500, 'Ocurrió un error interno en el servidor.', { action: 'error' }),
      malformed: failed(422, `Error de validación: ${MALFORMED}`, { action: 'error' }),
      unknown: failed(404, 'Not Found', { action: 'error' }),
    },
    limited: failed(429, LIMITED, { action: 'error' }),
  },
  {
    prefix: '/wispanel',
    preset: 'wispanel',
    expected: {
      success: ok(200, CLIENT),
      info: ok(200, INFO),
      created: ok(201, CREATED),
      notFound: failed(404, 'Client not found', { code: 'NOT_FOUND' }),
      badRequest: failed(400, BAD_REQUEST, { code: 'VALIDATION_ERROR' }),
      crash: failed(500, 'Internal Server Error', { code: 'INTERNAL_ERROR' }),
      malformed: failed(400, `Validation failed: ${MALFORMED}`, { code: 'VALIDATION_ERROR' }),
      unknown: failed(404, 'Not Found', { code: 'NOT_FOUND' }),
    },
    limited: failed(429, LIMITED, { code: 'RATE_LIMITED' }),
  },
  {
    prefix: '/web-service-return',
    preset: 'webServiceReturn',
    expected: {
      success: ok(200, CLIENT),
      info: ok(200, INFO),
      created: ok(200, CREATED),
      notFound: failed(200, 'Client not found', { code: 'WSR-404' }),
      badRequest: failed(200, BAD_REQUEST, { code: 'WSR-400' }),
      crash: failed(500, 'Internal Server Error', { code: 'WSR-500' }),
      malformed: failed(200, MALFORMED, { code: 'WSR-400' }),
      unknown: failed(200, 'Not Found', { code: 'WSR-404' }),
    },
    limited: failed(200, LIMITED, { code: 'WSR-429' }),
  },
  {
    prefix: '/status-ok',
    preset: 'universa',
    expected: {
      success: ok(200, CLIENT),
      info: ok(200, INFO),
      created: ok(201, CREATED),
      notFound: failed(200, 'Client not found', { code: 'not_found' }),
      badRequest: failed(200, BAD_REQUEST, { code: 'bad_request' }),
      crash: failed(500, 'Internal Server Error', { code: 'internal_server_error' }),
      malformed: failed(400, `Validation failed: ${MALFORMED}`, { code: 'validation_error' }),
      unknown: failed(404, 'Not Found', { code: 'not_found' }),
    },
    limited: failed(429, LIMITED, { code: 'too_many_requests' }),
  },
  {
    prefix: '/jsend',
    preset: 'jsend',
    expected: {
      success: ok(200, CLIENT),
      info: ok(200, INFO),
      created: ok(201, CREATED),
      notFound: failed(404, 'Client not found'),
      badRequest: failed(400, BAD_REQUEST),
      crash: failed(500, 'Internal Server Error'),
      malformed: failed(400, `body: ${MALFORMED}`, { issues: [{ path: 'body', message: MALFORMED }] }),
      unknown: failed(404, 'Not Found'),
    },
    limited: failed(429, LIMITED),
  },
  {
    prefix: '/problem',
    preset: 'problem',
    expected: {
      success: ok(200, CLIENT),
      info: ok(200, INFO),
      created: ok(201, CREATED),
      notFound: failed(404, 'Client not found'),
      badRequest: failed(400, BAD_REQUEST),
      crash: failed(500, 'Internal Server Error'),
      malformed: failed(400, MALFORMED, { issues: [{ path: '', message: MALFORMED }] }),
      unknown: failed(404, 'Not Found'),
    },
    // The registered problem type of a rate-limit refusal is the code a problem body gives.
    limited: failed(429, LIMITED, { code: 'https://iana.org/assignments/http-problem-types#quota-exceeded' }),
  },
];

let server: Server;
let base: string;
let stderrWrite: jest.SpiedFunction<typeof process.stderr.write>;

beforeAll(async () => {
  // The crash's log line is expected on stderr; keep the test output clean.
  stderrWrite = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  server = createDemoApp().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  stderrWrite.mockRestore();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** The global fetch, keeping each body's text so that it can be checked against its schema too. */
let lastText = '';
const recording = async (input: string, init?: RequestInit): Promise<Response> => {
  const res = await fetch(input, init);
  lastText = await res.clone().text();
  return res;
};

describe.each(PRESETS)('envelopeFetch($preset) against $prefix on a real socket', ({ prefix, preset, expected, limited }) => {
  const fetched = envelopeFetch(preset, { fetch: recording });
  const api = async (input: string, init?: RequestInit): Promise<Decoded> => {
    const decoded = await fetched(input, init);
    assertSchema(preset, decoded.ok ? 'success' : 'error', JSON.parse(lastText));
    return decoded;
  };

  test.each(Object.keys(REQUESTS) as Scenario[])('%s', async (scenario) => {
    const [path, init] = REQUESTS[scenario];
    const id = `fetch.${preset}.${scenario}`;
    const decoded = await api(base + prefix + path, {
      ...init,
      headers: { ...(init?.headers as Record<string, string>), 'X-Request-Id': id },
    });
    expect(decoded).toStrictEqual({ ...expected[scenario], requestId: id });
  });

  test('a rate-limited route: three successes, then a failure with retryAfter', async () => {
    const results: Decoded[] = [];
    for (let i = 0; i < 4; i++) results.push(await api(`${base}${prefix}/limited`));
    expect(results.slice(0, 3).map((r) => r.ok)).toEqual([true, true, true]);
    const refused = results[3] as Decoded & { retryAfter?: number; requestId?: string };
    expect(refused.retryAfter).toBeGreaterThanOrEqual(0);
    expect(refused.retryAfter).toBeLessThanOrEqual(60);
    expect(refused).toStrictEqual({ ...limited, requestId: expect.any(String), retryAfter: refused.retryAfter });
  });
});
