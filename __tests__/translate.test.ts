// A `translate` hook's result replaces the error only when it is a valid outcome of the same status
// class; anything else (a wrong status, a non-string code, a non-outcome) leaves the response exactly
// as it would be without the hook, and the hook's mistake is logged once.

import createError from 'http-errors';
import request from 'supertest';
import { type EnvelopeOptions, type LogEntry, envelope, errorHandler, notFound, requestId } from '../index';
import { assertSchema } from './helpers/expect-envelope';
import { EXPRESS_FLAVORS, expressOf } from './helpers/create-app';
import { DESCRIBED } from './helpers/openapi';

type Translate = NonNullable<EnvelopeOptions['translate']>;

/** Each hook returns one kind of nonsense for every error it sees. */
const NONSENSE: [string, Translate][] = [
  ['a redirect status', (o) => ({ ...o, status: 302 })],
  ['a success status', (o) => ({ ...o, status: 200 })],
  ['a status of the other error class', (o) => ({ ...o, status: o.status >= 500 ? 404 : 503 })],
  ['a status out of range', (o) => ({ ...o, status: 600 })],
  ['a status as text', (o) => ({ ...o, status: String(o.status) }) as never],
  ['a numeric code', (o) => ({ ...o, code: 5 }) as never],
  ['no message', (o) => ({ ...o, message: null }) as never],
  ['details that are not issues', (o) => ({ ...o, details: 'email' }) as never],
  ['a type that is not a URI', (o) => ({ ...o, type: 'not a uri' })],
  ['flags that are not booleans', (o) => ({ ...o, hard: 'yes' }) as never],
  ['a success outcome', () => ({ kind: 'success', status: 200, data: {} }) as never],
  ['null', () => null as never],
  ['a number', () => 42 as never],
  ['a function', () => (() => 'x') as never],
  [
    'a throw',
    () => {
      throw new Error('dictionary missing');
    },
  ],
];

const PATHS = ['/missing', '/invalid', '/crash', '/nope'];

function appOf(flavor: (typeof EXPRESS_FLAVORS)[number], preset: string, variant: string | undefined, extra: Partial<EnvelopeOptions>) {
  const express = expressOf(flavor);
  const app = express();
  app.use(requestId());
  app.use('/api', envelope(preset as 'wispanel', { locales: ['en', 'es'], ...(variant ? { variant } : {}), ...extra } as never));
  app.get('/api/missing', () => {
    throw createError(404, 'Client not found', { code: 'CLIENT_NOT_FOUND' });
  });
  app.get('/api/invalid', () => {
    throw createError(400, 'x', { details: [{ path: 'email', message: 'is required' }] });
  });
  app.get('/api/crash', () => {
    throw new Error('secret');
  });
  app.use(notFound());
  app.use(errorHandler({ log: false }));
  return app;
}

const ID = 'translate-test-id';

describe.each(EXPRESS_FLAVORS)('a translate hook that returns nonsense, on %s', (flavor) => {
  describe.each(DESCRIBED.filter((d) => d.name !== 'wisphub' && d.name !== 'universa').map((d) => [d.name, d] as const))(
    '%s',
    (_name, described) => {
      const plain = appOf(flavor, described.preset, described.variant, {});
      const options = described.variant ? { variant: described.variant } : undefined;

      it.each(NONSENSE)(
        '%s: changes nothing, and is logged once',
        async (_what, hook) => {
          const logged: LogEntry[] = [];
          const app = appOf(flavor, described.preset, described.variant, { translate: hook, log: (entry) => logged.push(entry) });
          for (const path of PATHS) {
            for (let round = 0; round < 2; round++) {
              const [got, want] = await Promise.all([
                request(app).get(`/api${path}`).set('X-Request-Id', ID).set('Accept-Language', 'es'),
                request(plain).get(`/api${path}`).set('X-Request-Id', ID).set('Accept-Language', 'es'),
              ]);
              expect({ path, status: got.status, text: got.text }).toEqual({ path, status: want.status, text: want.text });
              assertSchema(described.preset, 'error', JSON.parse(got.text), options);
            }
          }
          expect(logged).toHaveLength(1);
          expect(logged[0]).toEqual(expect.objectContaining({ requestId: ID, status: 404, path: '/api/missing' }));
          expect((logged[0].error as Error).message).toMatch(
            /^translate (returned|threw).*; the error went out as it was \(reported once\)$/,
          );
        },
        30_000,
      );
    },
  );
});

describe('a translate hook that returns a valid outcome', () => {
  it('is used within the status class: a 404 may become a 410 with its own code', async () => {
    const app = appOf('express5', 'statusOk', undefined, {
      translate: (o, { locale }) => (o.status === 404 ? { ...o, status: 410, code: 'GONE', message: `[${locale}] gone` } : undefined),
      log: () => {
        throw new Error('nothing to log');
      },
    });
    const res = await request(app).get('/api/missing').set('Accept-Language', 'es');
    expect([res.status, res.text]).toEqual([200, '{"status":"error","code":"GONE","text":"[es] gone"}']);
  });
});
