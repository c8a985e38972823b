// Each validation library's real errors → the same value-free Issue[] (one path convention).

import { celebrate, Joi as CelebrateJoi, Segments } from 'celebrate';
import express from 'express';
import { body, checkExact, oneOf, query, validationResult } from 'express-validator';
import * as OpenApiValidator from 'express-openapi-validator';
import Joi from 'joi';
import request from 'supertest';
import * as z4 from 'zod';
import * as zm from 'zod/mini';
import { RequestValidationError, validate } from '../../index';
import { validationFailure } from '../../lib/validation';
import { rawErrors } from '../../lib/validation/express-validator';
import { createApp, FLAVORS } from '../helpers/create-app';
import { expectEnvelope } from '../helpers/expect-envelope';

import * as z3 from 'zod3';

const SECRET = 'SECRET-42';

/** Runs middleware on a real Express app and returns what reached the error handler. */
async function caught(mount: (app: express.Express) => void, send: (agent: ReturnType<typeof request>) => request.Test): Promise<unknown> {
  let seen: unknown;
  const app = express();
  app.use(express.json());
  mount(app);
  app.use((err: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    seen = err;
    res.status(418).end();
  });
  await send(request(app));
  return seen;
}

describe('express-validator 7', () => {
  const chains = [
    body('email').isEmail(),
    body('items.*.id').isInt(),
    body('x')
      .isInt()
      .withMessage((value) => `bad ${String(value)}`),
    oneOf([body('a').isInt(), body('b').isInt()], { errorType: 'flat' }),
    oneOf([[body('c').isInt(), body('d').isInt()], [body('e').isInt()]], { errorType: 'grouped' }),
    oneOf([body('f').isInt(), body('f').isFloat()], { errorType: 'least_errored' }),
    query('page').isInt().withMessage('must be a page number'),
    checkExact([], { message: 'Unknown field(s)' }),
  ];
  const payload = {
    email: SECRET,
    items: [{ id: SECRET }],
    x: SECRET,
    a: SECRET,
    b: SECRET,
    c: SECRET,
    d: 1,
    e: SECRET,
    f: SECRET,
    [SECRET]: 1,
  };
  const expected = [
    { path: 'email', message: 'Invalid value', location: 'body' },
    { path: 'items.0.id', message: 'Invalid value', location: 'body' },
    { path: 'x', message: 'Invalid value', location: 'body' },
    { path: '', message: 'Invalid value(s)', location: 'body' },
    { path: '', message: 'Invalid value(s)', location: 'body' },
    { path: 'f', message: 'Invalid value(s)', location: 'body' },
    { path: 'page', message: 'must be a page number', location: 'query' },
    { path: '', message: 'Unknown field(s)', location: 'body' },
  ];

  it('reads the error thrown by validationResult(req).throw(), every error type', async () => {
    const err = await caught(
      (app) =>
        app.post('/', ...chains, (req: express.Request) => {
          validationResult(req).throw();
        }),
      (agent) => agent.post('/?page=SECRET-42').send(payload),
    );
    expect(validationFailure(err)).toEqual({ source: 'express-validator', issues: expected });
  });

  it('validate(chains) forwards the same issues as a RequestValidationError', async () => {
    const err = await caught(
      (app) => app.post('/', validate(chains), (_req, res) => res.json({})),
      (agent) => agent.post('/?page=SECRET-42').send(payload),
    );
    expect(err).toBeInstanceOf(RequestValidationError);
    expect(err).toMatchObject({ status: 400, expose: true, source: 'express-validator', details: expected });
  });
});

describe('validate()', () => {
  it('lets a valid request through, takes one chain or a list, and rejects what is not a chain', async () => {
    const app = express();
    app.use(express.json());
    app.post('/one', validate(body('email').isEmail()), (_req, res) => res.json({ ok: 1 }));
    app.post('/list', validate([body('email').isEmail(), [body('age').isInt()]]), (_req, res) => res.json({ ok: 2 }));
    const one = await request(app).post('/one').send({ email: 'a@example.com' });
    const list = await request(app).post('/list').send({ email: 'a@example.com', age: 3 });
    expect([one.status, one.text, list.status, list.text]).toEqual([200, '{"ok":1}', 200, '{"ok":2}']);
    for (const bad of [[{}], [null], undefined, [{ run: 'x' }]]) {
      expect(() => validate(bad as never)).toThrow(
        expect.objectContaining({
          code: 'ERR_ENVELOPE_INVALID_OPTION',
          message: 'validate(): every chain needs a run(req) method (express-validator 7)',
        }),
      );
    }
  });
});

describe('rawErrors()', () => {
  it('reads the raw errors list first, else array(), else nothing', () => {
    const field = { type: 'field', path: 'a', msg: 'Invalid value', location: 'body', value: 1 };
    const formatted = { errors: [field], array: () => ['formatted by formatWith()'] };
    expect(rawErrors(formatted)).toEqual([field]);
    expect(rawErrors({ array: () => [field] })).toEqual([field]);
    expect([rawErrors({ array: () => 'no list' }), rawErrors({ array: 1 }), rawErrors(null), rawErrors('x')]).toEqual([[], [], [], []]);
  });
});

describe('validate() with a very long error list', () => {
  // 150,000 errors from one chain: spreading them into push() threw a RangeError, and the client got a 500.
  const COUNT = 150_000;
  const chain = {
    run: () =>
      Promise.resolve({
        errors: Array.from({ length: COUNT }, (_, i) => ({
          type: 'field',
          path: `items[${i}]`,
          msg: 'must be an integer',
          location: 'body',
          value: 'x',
        })),
      }),
  };
  // The body keeps the first 100 issues and counts the rest (docs/guides/validation.md).
  const detail =
    'Validation failed: ' +
    Array.from({ length: 100 }, (_, i) => `items.${i}: must be an integer`).join('; ') +
    `; and ${COUNT - 100} more`;

  it.each(FLAVORS)("answers with the envelope's validation failure on %s", async (flavor) => {
    const middleware = validate(chain);
    const app = createApp(flavor, {
      mounts: [
        {
          prefix: '/api',
          format: 'vbapi',
          routes: {
            '/many': (req, res, next) =>
              middleware(req as never, res as never, (err?: unknown) => (err ? next(err) : res.json({ ok: true }))),
          },
        },
      ],
    });
    const res = await request(app).post('/api/many').set('X-Request-Id', 'req-many');
    expect(res.status).toBe(400);
    expectEnvelope(res, {
      format: 'vbapi',
      kind: 'error',
      status: 400,
      body: {
        data: null,
        error: { type: 'https://httpstatuses.com/400', title: 'Bad Request', status: 400, detail, instance: '/api/many' },
        debug: { activityId: 'req-many' },
      },
    });
  });
});

describe('zod', () => {
  it('zod 4: nested paths, indexes, unions, and no submitted keys', () => {
    const schema = z4
      .object({
        name: z4.string(),
        role: z4.enum(['admin', 'user']),
        items: z4.array(z4.object({ id: z4.number() })),
        u: z4.union([z4.string(), z4.number()]),
        email: z4.email(),
        nested: z4.object({ deep: z4.literal('x') }),
      })
      .strict();
    const result = schema.safeParse({
      name: 1,
      role: SECRET,
      items: [{ id: SECRET }],
      u: true,
      email: SECRET,
      nested: { deep: SECRET },
      [SECRET]: 1,
    });
    expect(validationFailure(result.error)).toEqual({
      source: 'zod',
      issues: [
        { path: 'name', message: 'Invalid input: expected string, received number' },
        { path: 'role', message: 'Invalid option: expected one of "admin"|"user"' },
        { path: 'items.0.id', message: 'Invalid input: expected number, received string' },
        { path: 'u', message: 'Invalid input' },
        { path: 'email', message: 'Invalid email address' },
        { path: 'nested.deep', message: 'Invalid input: expected "x"' },
        { path: '', message: 'Unrecognized keys are not allowed' },
      ],
    });
  });

  it('zod/mini throws $ZodError, recognised too', () => {
    const result = zm.object({ a: zm.string() }).safeParse({ a: 1 });
    expect(result.error?.name).toBe('$ZodError');
    expect(validationFailure(result.error)).toEqual({
      source: 'zod',
      issues: [{ path: 'a', message: 'Invalid input: expected string, received number' }],
    });
  });

  it('zod 3: invalid_enum_value and unrecognized_keys lose the submitted value', () => {
    const schema = z3
      .object({ role: z3.enum(['admin', 'user']), items: z3.array(z3.object({ id: z3.number() })), lit: z3.literal('x') })
      .strict();
    const result = schema.safeParse({ role: SECRET, items: [{ id: SECRET }], lit: SECRET, [SECRET]: 1 });
    expect(result.success).toBe(false);
    expect(validationFailure(result.error)).toEqual({
      source: 'zod',
      issues: [
        { path: 'role', message: "Invalid enum value. Expected 'admin' | 'user'" },
        { path: 'items.0.id', message: 'Expected number, received string' },
        { path: 'lit', message: 'Invalid literal value, expected "x"' },
        { path: '', message: 'Unrecognized keys are not allowed' },
      ],
    });
  });

  it('replaces a message that quotes the input when zod reports the input', () => {
    const schema = z4.string().refine((v) => v.length > 100, { message: `too short: ${SECRET}` });
    const result = schema.safeParse(SECRET, { reportInput: true });
    expect(validationFailure(result.error)?.issues).toEqual([{ path: '', message: 'Invalid value' }]);
  });
});

describe('Joi and celebrate', () => {
  it('Joi (abortEarly: false): several details, labels and values removed', () => {
    const schema = Joi.object({
      name: Joi.string().required(),
      code: Joi.string().pattern(/^[a-z]+$/),
      items: Joi.array().items(Joi.object({ id: Joi.number() })),
      role: Joi.string().valid('admin', 'user'),
      nick: Joi.string().max(3),
      address: Joi.object({ city: Joi.string() }),
    });
    const { error } = schema.validate(
      { code: SECRET, items: [{ id: SECRET }], role: SECRET, nick: SECRET, address: { city: 'x', [SECRET]: 1 } },
      { abortEarly: false },
    );
    expect(validationFailure(error)).toEqual({
      source: 'joi',
      issues: [
        { path: 'name', message: 'is required' },
        { path: 'code', message: 'fails to match the required pattern' },
        { path: 'items.0.id', message: 'must be a number' },
        { path: 'role', message: 'must be one of [admin, user]' },
        { path: 'nick', message: 'length must be less than or equal to 3 characters long' },
        { path: 'address', message: 'Unknown keys are not allowed' },
      ],
    });
  });

  it('celebrate: the segment becomes the location', async () => {
    const err = await caught(
      (app) =>
        app.post(
          '/',
          celebrate({ [Segments.QUERY]: CelebrateJoi.object({ page: CelebrateJoi.number() }) }),
          celebrate({ [Segments.BODY]: CelebrateJoi.object({ name: CelebrateJoi.string().required() }) }, { abortEarly: false }),
          (_req, res) => res.json({}),
        ),
      (agent) => agent.post(`/?page=${SECRET}`).send({}),
    );
    expect(validationFailure(err)).toEqual({
      source: 'celebrate',
      issues: [{ path: 'page', message: 'must be a number', location: 'query' }],
    });
    const bodyErr = await caught(
      (app) =>
        app.post('/', celebrate({ [Segments.BODY]: CelebrateJoi.object({ name: CelebrateJoi.string().required() }) }), (_req, res) =>
          res.json({}),
        ),
      (agent) => agent.post('/').send({ [SECRET]: 1 }),
    );
    expect(validationFailure(bodyErr)).toEqual({
      source: 'celebrate',
      issues: [{ path: 'name', message: 'is required', location: 'body' }],
    });
  });
});

describe('express-openapi-validator', () => {
  const apiSpec = {
    openapi: '3.0.0',
    info: { title: 't', version: '1' },
    paths: {
      '/items/{id}': {
        post: {
          parameters: [
            { name: 'id', in: 'path', required: true, schema: { type: 'integer' } },
            { name: 'page', in: 'query', schema: { type: 'integer' } },
          ],
          requestBody: {
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['name'],
                  properties: {
                    name: { type: 'string' },
                    items: { type: 'array', items: { type: 'object', properties: { id: { type: 'integer' } } } },
                  },
                },
              },
            },
          },
          responses: { 200: { description: 'ok' } },
        },
      },
    },
  } as const;
  const mount = (app: express.Express) => {
    app.use(OpenApiValidator.middleware({ apiSpec: apiSpec as never, validateRequests: { allErrors: true } }));
    app.post('/items/:id', (_req, res) => res.json({}));
  };

  it('turns 400s into issues with locations and dotted paths', async () => {
    const err = await caught(mount, (agent) => agent.post(`/items/${SECRET}?page=${SECRET}`).send({ items: [{ id: SECRET }] }));
    expect(validationFailure(err)).toEqual({
      source: 'openapi',
      status: 400,
      issues: [
        { path: 'page', message: 'must be integer', location: 'query' },
        { path: 'id', message: 'must be integer', location: 'params' },
        { path: 'name', message: "must have required property 'name'", location: 'body' },
        { path: 'items.0.id', message: 'must be integer', location: 'body' },
      ],
    });
  });

  it('never names an unknown query parameter', async () => {
    const err = await caught(mount, (agent) => agent.post(`/items/1?${SECRET}=1`).send({ name: 'n' }));
    expect(validationFailure(err)).toEqual({
      source: 'openapi',
      status: 400,
      issues: [{ path: '', message: 'Unknown parameters are not allowed', location: 'query' }],
    });
  });

  it('never names an unexpected body property (additionalProperties: false)', async () => {
    const strict = {
      openapi: '3.0.0',
      info: { title: 't', version: '1' },
      paths: {
        '/u': {
          post: {
            requestBody: {
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    additionalProperties: false,
                    properties: { a: { type: 'string' }, nested: { type: 'object', additionalProperties: false, properties: {} } },
                  },
                },
              },
            },
            responses: { 200: { description: 'ok' } },
          },
        },
      },
    };
    const err = await caught(
      (app) => {
        app.use(OpenApiValidator.middleware({ apiSpec: strict as never, validateRequests: { allErrors: true } }));
        app.post('/u', (_req, res) => res.json({}));
      },
      (agent) => agent.post('/u').send({ a: 'x', [SECRET]: 1, nested: { [SECRET]: 2 } }),
    );
    expect(validationFailure(err)).toEqual({
      source: 'openapi',
      status: 400,
      issues: [
        { path: '', message: 'must NOT have additional properties', location: 'body' },
        { path: 'nested', message: 'must NOT have additional properties', location: 'body' },
      ],
    });
  });

  it('keeps the status of its other refusals, without their message', async () => {
    const unsupported = await caught(mount, (agent) => agent.post('/items/1').set('Content-Type', `text/${SECRET}`).send('x'));
    expect(validationFailure(unsupported)).toEqual({ source: 'openapi', status: 415 });
    const missing = await caught(mount, (agent) => agent.get('/nowhere'));
    expect(validationFailure(missing)).toEqual({ source: 'openapi', status: 404 });
  });
});

describe('openapi paths', () => {
  it('reads JSON pointers and the older dotted paths, quoted keys included, with one path convention', () => {
    const err = {
      status: 400,
      path: '/x',
      errors: [
        { path: '/body/items/0/a~1b', message: 'must be integer' },
        { path: '.body.items[0].id', message: 'must be integer' },
        { path: '.body["a b"]', message: 'must be integer' },
        { path: '/path/id', message: 'must be integer' },
        { path: '/constructor/x', message: 'must be integer' },
      ],
    };
    expect(validationFailure(err)).toEqual({
      source: 'openapi',
      status: 400,
      issues: [
        { path: 'items.0.a/b', message: 'must be integer', location: 'body' },
        { path: 'items.0.id', message: 'must be integer', location: 'body' },
        { path: 'a b', message: 'must be integer', location: 'body' },
        { path: 'id', message: 'must be integer', location: 'params' },
        { path: 'constructor.x', message: 'must be integer' },
      ],
    });
  });
});

describe('not a validation error', () => {
  it('leaves other values alone', () => {
    for (const value of [
      null,
      undefined,
      'x',
      new Error('x'),
      { issues: [] },
      { name: 'ZodError', issues: 'x' },
      { details: new Map([[1, 2]]) },
    ]) {
      expect(validationFailure(value)).toBeUndefined();
    }
  });
});
