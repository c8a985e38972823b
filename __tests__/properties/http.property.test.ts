// Properties over real HTTP: any thrown value through errorHandler() in every preset, and any
// X-Request-Id through requestId().

import { validateHeaderValue } from 'node:http';
import fc from 'fast-check';
import request from 'supertest';
import { envelope, errorHandler, notFound, requestId } from '../../index';
import { expressOf } from '../helpers/create-app';
import { UUID_V4, assertSchema } from '../helpers/expect-envelope';
import { PRESET_CASES } from '../helpers/validation-oracle';

// Hundreds of sequential requests: about 2 s on a quiet machine, far more beside busy neighbours.
// The limit only catches a hang, so it is set far above any real duration.
jest.setTimeout(300_000);

export const HTTP_RUNS = 60;
export const ID_RUNS = 200;

const slug = (name: string) => name.replace(/\s+/g, '-');

let marker = 0;
const thrownValue = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc
    .record(
      {
        status: fc.oneof(fc.integer({ min: 0, max: 999 }), fc.constantFrom(401, 404, 409, 429, 500, 503)),
        expose: fc.oneof(fc.boolean(), fc.constant(undefined)),
        code: fc.oneof(fc.string(), fc.integer()),
        data: fc.jsonValue({ maxDepth: 2 }),
        headers: fc.oneof(fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.integer())), fc.jsonValue({ maxDepth: 1 })),
        hard: fc.boolean(),
      },
      { requiredKeys: [] },
    )
    .map((props) => Object.assign(new Error(`LEAK-${++marker}`), props)),
  fc.bigInt(),
  fc.string().map((s) => Symbol(s)),
);

function wanted(err: unknown): { status: number; exposed: boolean; hard: boolean } {
  const bag = err instanceof Error ? (err as Error & Record<string, unknown>) : undefined;
  const s = bag?.status;
  const status = typeof s === 'number' && Number.isInteger(s) && s >= 400 && s <= 599 ? s : 500;
  const exposed = typeof bag?.expose === 'boolean' ? bag.expose : status < 500;
  return { status, exposed, hard: status >= 500 || bag?.hard === true };
}

describe('any thrown value over HTTP', () => {
  const exp = expressOf('express5');
  const app = exp();
  let current: unknown;
  app.use(requestId());
  for (const preset of PRESET_CASES) {
    app.use(`/${slug(preset.name)}`, envelope(preset.format as 'vbapi', { ...preset.options, log: false } as never));
    app.get(`/${slug(preset.name)}/throw`, () => {
      throw current;
    });
  }
  app.use(notFound());
  app.use(errorHandler({ log: false }));

  it('is answered in every preset with its schema and the status of docs/internals/contract.md#errors, and nothing unexposed leaks', async () => {
    await fc.assert(
      fc.asyncProperty(thrownValue, async (value) => {
        // Express never hands a falsy error, nor its 'route'/'router' signals, to an error handler.
        fc.pre(Boolean(value) && value !== 'route' && value !== 'router');
        current = value;
        const { status, exposed, hard } = wanted(value);
        for (const preset of PRESET_CASES) {
          const res = await request(app).get(`/${slug(preset.name)}/throw`);
          const wire =
            preset.format === 'webServiceReturn' ? (status >= 500 ? 500 : 200) : preset.format === 'statusOk' && !hard ? 200 : status;
          expect([preset.name, res.status, res.headers['x-content-type-options']]).toEqual([preset.name, wire, 'nosniff']);
          expect(res.headers['x-request-id']).toMatch(UUID_V4);
          assertSchema(preset.format, 'error', JSON.parse(res.text), preset.options);
          if (!exposed) expect(res.text).not.toContain('LEAK-');
        }
      }),
      { numRuns: HTTP_RUNS },
    );
  });
});

describe('any X-Request-Id', () => {
  const exp = expressOf('express5');
  const app = exp();
  app.use(requestId());
  app.use(envelope('vbapi'));
  app.get('/', (req, res) => {
    res.json({ id: req.id });
  });

  const SAFE = /^[A-Za-z0-9\-_.:=+/]+$/;
  const sendable = (value: string) => {
    try {
      validateHeaderValue('X-Request-Id', value);
      return true;
    } catch {
      return false;
    }
  };
  const candidate = fc.oneof(
    fc.string({ maxLength: 200 }),
    fc.stringMatching(/^[A-Za-z0-9\-_.:=+/]{1,140}$/),
    fc.string({ unit: fc.constantFrom('a', 'Z', '9', '-', ':', '/', ' ', ';', ',', '\u00e9', '"', '<', '\t'), maxLength: 140 }),
  );

  it('is echoed only when it satisfies the rule, otherwise replaced by a fresh UUID', async () => {
    await fc.assert(
      fc.asyncProperty(candidate, async (value) => {
        fc.pre(sendable(value));
        // HTTP drops the spaces and tabs around a header value before the server sees it.
        const seen = value.replace(/^[ \t]+|[ \t]+$/g, '');
        const res = await request(app).get('/').set('X-Request-Id', value);
        const id = res.headers['x-request-id'];
        if (seen.length > 0 && seen.length <= 128 && SAFE.test(seen)) expect(id).toBe(seen);
        else {
          expect(id).toMatch(UUID_V4);
          if (seen.length > 3) expect(res.text).not.toContain(seen);
        }
        expect(JSON.parse(res.text).debug.activityId).toBe(id);
      }),
      { numRuns: ID_RUNS },
    );
  });
});
