// express-openapi-validator with validateResponses: true, against documents built with
// openApiResponses(). Its validateResponses checks the handler's raw payload (and so refuses every
// correct enveloped success); checkResponses() with openapi-response-validator (examples/openapi.js,
// docs/guides/openapi.md) checks the enveloped body as written: correct ones pass, wrong ones become a 500.

import type { RequestHandler } from 'express';
import createError from 'http-errors';
import * as OpenApiValidator from 'express-openapi-validator';
import request from 'supertest';
import {
  type OpenApiResponses,
  type PresetName,
  envelope,
  errorHandler,
  notFound,
  openApiResponses,
  rateLimit,
  requestId,
} from '../../index';
import { EXPRESS_FLAVORS, expressOf, quiet } from '../helpers/create-app';
import { assertDescribed } from '../helpers/openapi';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { checkAgainst } = require('../../examples/openapi') as { checkAgainst: (document: object) => RequestHandler };

const CLIENT = { type: 'object', properties: { id: { type: 'integer' }, name: { type: 'string' } }, required: ['id', 'name'] };
const silent = { error: () => undefined, warn: () => undefined };

interface Setup {
  /** The envelope the app sends. */
  preset: PresetName;
  variant?: 'portal';
  /** The envelope the document describes; the app's own by default. */
  described?: PresetName;
  wire: boolean;
  /** Where the validator goes relative to envelope() when not wrapped. */
  validatorFirst?: boolean;
}

function documentFor(preset: PresetName, variant?: 'portal') {
  const options = variant ? { variant } : {};
  const responses = (extra: Record<string, unknown> = {}) =>
    openApiResponses(preset as 'wispanel', { ...options, data: CLIENT, ...extra } as never);
  const get = (operationId: string, extra?: Record<string, unknown>) => ({ get: { operationId, responses: responses(extra) } });
  return {
    openapi: '3.1.0',
    info: { title: `Clients (${preset})`, version: '1.0.0' },
    paths: {
      '/api/ok': get('ok'),
      '/api/wrong': get('wrong'),
      '/api/missing': get('missing'),
      '/api/invalid': get('invalid'),
      '/api/crash': get('crash'),
      '/api/limited': get('limited', { rateLimited: true }),
      '/api/nothing': get('nothing', { status: 204, data: {} }),
      '/api/clients': {
        post: {
          operationId: 'create',
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: { type: 'object', properties: { name: { type: 'string', minLength: 1 } }, required: ['name'] },
              },
            },
          },
          responses: responses({ status: 201 }),
        },
      },
    },
  };
}

function appFor(flavor: (typeof EXPRESS_FLAVORS)[number], setup: Setup) {
  const express = expressOf(flavor);
  const app = express();
  const apiSpec = documentFor(setup.described ?? setup.preset, setup.variant);
  const validator = OpenApiValidator.middleware({ apiSpec: apiSpec as never, validateRequests: true, validateResponses: !setup.wire });
  const enveloped = envelope(setup.preset as 'wispanel', setup.variant ? { variant: setup.variant } : {});
  app.use(requestId());
  if (setup.wire) app.use('/api', enveloped, express.json(), checkAgainst(apiSpec), validator);
  else if (setup.validatorFirst) app.use('/api', express.json(), validator, enveloped);
  else app.use('/api', enveloped, express.json(), validator);
  app.get('/api/ok', (_req, res) => res.json({ id: 1, name: 'Example' }));
  app.get('/api/wrong', (_req, res) => res.json({ id: 'one', name: 'Example' }));
  app.get('/api/missing', () => {
    throw createError(404, 'Client not found');
  });
  app.get('/api/invalid', () => {
    throw createError(400, 'ignored', { details: [{ path: 'name', message: 'is required' }] });
  });
  app.get('/api/crash', () => {
    throw new Error('secret');
  });
  app.get('/api/nothing', (_req, res) => res.success(undefined, { status: 204 }));
  app.get('/api/limited', rateLimit({ limit: 0, logger: silent }), () => undefined);
  app.post('/api/clients', (req, res) => {
    res.status(201).json({ id: 2, name: (req.body as { name: string }).name });
  });
  app.use(notFound());
  app.use(errorHandler({ log: false }));
  return app;
}

const VBAPI_500 = (id: string, instance: string) => ({
  data: null,
  error: { type: 'https://httpstatuses.com/500', title: 'Internal Server Error', status: 500, detail: 'Internal Server Error', instance },
  debug: { activityId: id },
});

describe.each(EXPRESS_FLAVORS)('express-openapi-validator on %s', (flavor) => {
  quiet();

  describe.each([false, true])('mounted plainly (validator before envelope(): %s)', (validatorFirst) => {
    const app = appFor(flavor, { preset: 'vbapi', wire: false, validatorFirst });

    it("checks the handler's raw payload, so a correct enveloped success is refused", async () => {
      const res = await request(app).get('/api/ok');
      expect({ status: res.status, body: JSON.parse(res.text) }).toEqual({
        status: 500,
        body: VBAPI_500(res.headers['x-request-id'], '/api/ok'),
      });
    });
  });

  describe.each([
    ['vbapi', 'vbapi', undefined],
    ['statusOk', 'statusOk', undefined],
    ['webServiceReturn', 'webServiceReturn', undefined],
    ['wispanel portal', 'wispanel', 'portal'],
    ['jsend', 'jsend', undefined],
    ['problem', 'problem', undefined],
  ] as const)('checked on the wire with checkResponses(), %s', (_name, preset, variant) => {
    const app = appFor(flavor, { preset, variant, wire: true });
    const doc = documentFor(preset, variant);
    const responsesOf = (path: string): OpenApiResponses => {
      const item = (doc.paths as Record<string, { get?: { responses: OpenApiResponses }; post?: { responses: OpenApiResponses } }>)[path];
      return (item.get ?? item.post)?.responses ?? {};
    };

    it.each([
      ['a success', 'get', '/api/ok', 200],
      ['a 201', 'post', '/api/clients', preset === 'webServiceReturn' ? 200 : 201],
      ['a thrown 404', 'get', '/api/missing', preset === 'statusOk' || preset === 'webServiceReturn' ? 200 : 404],
      [
        'a validation failure',
        'get',
        '/api/invalid',
        { vbapi: 400, statusOk: 200, webServiceReturn: 200, wispanel: 422, jsend: 400, problem: 400 }[preset],
      ],
      ['a 429', 'get', '/api/limited', preset === 'webServiceReturn' ? 200 : 429],
      ['a crash', 'get', '/api/crash', 500],
    ] as const)('passes %s, checked against the document', async (_what, method, path, status) => {
      const res = method === 'post' ? await request(app).post(path).send({ name: 'New' }) : await request(app).get(path);
      expect(res.status).toBe(status);
      assertDescribed(responsesOf(path), res, `${preset} ${path}`);
    });

    it('passes a 204, which carries no body (webServiceReturn sends it as a 200 with its envelope)', async () => {
      const res = await request(app).get('/api/nothing');
      if (preset === 'webServiceReturn') {
        expect([res.status, res.text]).toEqual([
          200,
          '{"WebServiceReturn":{"Status":"wrsSuccess","ErrorCode":"","Message":"","Actor":"","ReturnQuestion":null}}',
        ]);
        assertDescribed(responsesOf('/api/nothing'), res, 'webServiceReturn 204');
        return;
      }
      expect([res.status, res.text]).toEqual([204, '']);
      expect(Object.keys(responsesOf('/api/nothing'))).toContain('204');
      expect(responsesOf('/api/nothing')['204'].content).toBeUndefined();
    });

    it('refuses a wrong enveloped body: a 500 in the envelope, which the document describes', async () => {
      const res = await request(app).get('/api/wrong');
      expect(res.status).toBe(500);
      assertDescribed(responsesOf('/api/wrong'), res, `${preset} /api/wrong`);
      expect(res.text).not.toContain('one');
    });
  });

  it('checks error bodies on the wire too: a jsend 404 against a vbapi document is refused', async () => {
    const right = appFor(flavor, { preset: 'vbapi', wire: true });
    const wrong = appFor(flavor, { preset: 'jsend', described: 'vbapi', wire: true });
    expect((await request(right).get('/api/missing')).status).toBe(404);
    const res = await request(wrong).get('/api/missing');
    expect({ status: res.status, text: res.text }).toEqual({
      status: 500,
      text: '{"status":"error","message":"Internal Server Error"}',
    });
  });

  it('leaves alone what it does not check: its own request refusals and unknown routes', async () => {
    const app = appFor(flavor, { preset: 'vbapi', wire: true });
    const refused = await request(app).post('/api/clients').send({ name: '' });
    const id = refused.headers['x-request-id'];
    expect({ status: refused.status, body: JSON.parse(refused.text) }).toEqual({
      status: 400,
      body: {
        data: null,
        error: {
          type: 'https://httpstatuses.com/400',
          title: 'Bad Request',
          status: 400,
          detail: 'Validation failed: name: must NOT have fewer than 1 characters',
          instance: '/api/clients',
        },
        debug: { activityId: id },
      },
    });
    const malformed = await request(app).post('/api/clients').set('Content-Type', 'application/json').send('{"name": ');
    expect([malformed.status, JSON.parse(malformed.text).error.detail]).toEqual([400, 'Validation failed: Malformed request body']);
    const unknown = await request(app).get('/api/no-such-route');
    expect([unknown.status, JSON.parse(unknown.text).error.detail]).toEqual([404, 'Not Found']);
  });
});
