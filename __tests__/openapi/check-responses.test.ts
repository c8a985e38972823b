// checkResponses(): the check sees each enveloped body as written on the wire; a body it passes goes
// out byte for byte, one it refuses becomes a logged 500 in the envelope; options are checked.

import request from 'supertest';
import { type LogEntry, type WireResponse, checkResponses } from '../../index';
import { FLAVORS, type Handler, createApp, quiet } from '../helpers/create-app';
import { standardRoutes } from '../helpers/routes';

const routes: Record<string, Handler> = {
  '/ok': standardRoutes['/ok'],
  '/not-found': standardRoutes['/not-found'],
  '/empty': (_req, res) => {
    res.statusCode = 204;
    res.end();
  },
};

function appFor(flavor: (typeof FLAVORS)[number], format: 'vbapi' | 'problem') {
  return createApp(flavor, { requestId: { generator: () => 'fixed-id' }, mounts: [{ prefix: '/api', format, routes }] });
}

describe.each(FLAVORS)('checkResponses() on %s', (flavor) => {
  quiet();

  it.each(['vbapi', 'problem'] as const)(
    '%s: the check sees status, media type, body and text; a passed body goes out byte for byte',
    async (format) => {
      const seen: WireResponse[] = [];
      const plain = appFor(flavor, format);
      // The middleware under test, mounted after envelope() through a route-level wrapper.
      const wired = createApp(flavor, {
        requestId: { generator: () => 'fixed-id' },
        mounts: [
          {
            prefix: '/api',
            format,
            routes: Object.fromEntries(
              Object.entries(routes).map(([path, handler]) => {
                const check = checkResponses((response) => void seen.push(response)) as unknown as Handler;
                return [path, (req, res, next) => check(req, res, () => handler(req, res, next))];
              }),
            ),
          },
        ],
      });
      for (const path of ['/api/ok', '/api/not-found', '/api/empty']) {
        const [got, want] = await Promise.all([request(wired).get(path), request(plain).get(path)]);
        expect({ path, status: got.status, text: got.text }).toEqual({ path, status: want.status, text: want.text });
      }
      expect(seen.map(({ status, mediaType, text, body }) => ({ status, mediaType, same: JSON.stringify(body) === text }))).toEqual([
        { status: 200, mediaType: 'application/json', same: true },
        { status: 404, mediaType: format === 'problem' ? 'application/problem+json' : 'application/json', same: true },
      ]);
    },
  );

  it.each([
    [
      'throws',
      () => {
        throw new Error('does not match: secret detail');
      },
    ],
    ['returns a problem', () => 'does not match: secret detail'],
  ])('a check that %s: a logged 500 in the envelope, without its message', async (_what, refuse) => {
    const logged: LogEntry[] = [];
    const check = checkResponses(refuse, { log: (entry) => logged.push(entry) }) as unknown as Handler;
    const app = createApp(flavor, {
      requestId: { generator: () => 'fixed-id' },
      mounts: [
        {
          prefix: '/api',
          format: 'vbapi',
          routes: { '/ok': (req, res, next) => check(req, res, () => standardRoutes['/ok'](req, res, next)) },
        },
      ],
    });
    const res = await request(app).get('/api/ok');
    expect({ status: res.status, body: JSON.parse(res.text) }).toEqual({
      status: 500,
      body: {
        data: null,
        error: {
          type: 'https://httpstatuses.com/500',
          title: 'Internal Server Error',
          status: 500,
          detail: 'Internal Server Error',
          instance: '/api/ok',
        },
        debug: { activityId: 'fixed-id' },
      },
    });
    expect(res.text).not.toContain('secret');
    expect(logged).toHaveLength(1);
    expect(logged[0]).toEqual(expect.objectContaining({ status: 500, path: '/api/ok' }));
    expect(String((logged[0].error as Error).message)).toContain('does not match: secret detail');
  });
});

describe('checkResponses() options', () => {
  it.each([
    [undefined, {}, 'ERR_ENVELOPE_INVALID_OPTION', 'checkResponses(): check must be a function'],
    [() => undefined, { typo: 1 }, 'ERR_ENVELOPE_UNKNOWN_OPTION', 'checkResponses(): unknown option "typo"; known options are log'],
    [() => undefined, { log: 'yes' }, 'ERR_ENVELOPE_INVALID_OPTION', expect.stringContaining('checkResponses(): log must be')],
  ])('refuses %p with %j', (check, options, code, message) => {
    expect(() => checkResponses(check as never, options as never)).toThrow(expect.objectContaining({ code, message }));
  });
});
