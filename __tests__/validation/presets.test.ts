// Every adapter's failure rendered in every preset (and wispanel variant), exactly per docs/reference/presets/*.md,
// on Express 5 and Express 4, with a secret in every submitted field that must never come back.

import { Joi as CelebrateJoi, Segments, celebrate } from 'celebrate';
import type express from 'express';
import { body, validationResult } from 'express-validator';
import * as OpenApiValidator from 'express-openapi-validator';
import Joi from 'joi';
import request from 'supertest';
import * as z4 from 'zod';
import * as zm from 'zod/mini';
import * as z3 from 'zod3';
import { envelope, errorHandler, notFound, requestId, validate } from '../../index';
import { EXPRESS_FLAVORS, expressOf } from '../helpers/create-app';
import { expectEnvelope } from '../helpers/expect-envelope';
import { PRESET_CASES, type PlainIssue } from '../helpers/validation-oracle';

const S = 'SECRET-42';
const slug = (name: string) => name.replace(/\s+/g, '-');

interface AdapterCase {
  name: string;
  path: string;
  mount(router: express.Router, path: string): void;
  send(test: request.Test): request.Test;
  issues: PlainIssue[];
  hard?: boolean;
}

const ok = (_req: unknown, res: express.Response) => {
  res.json({ ok: true });
};

const ADAPTERS: AdapterCase[] = [
  {
    name: 'express-validator validate()',
    path: '/ev',
    mount: (r, p) => r.post(p, validate([body('email').isEmail(), body('items.*.id').isInt()]), ok),
    send: (t) => t.send({ email: S, items: [{ id: S }] }),
    issues: [
      { path: 'email', message: 'Invalid value' },
      { path: 'items.0.id', message: 'Invalid value' },
    ],
  },
  {
    name: 'express-validator throw()',
    path: '/ev-throw',
    mount: (r, p) =>
      r.post(p, body('email').isEmail().withMessage('must be an email'), (req, res) => {
        validationResult(req).throw();
        ok(req, res);
      }),
    send: (t) => t.send({ email: S }),
    issues: [{ path: 'email', message: 'must be an email' }],
  },
  {
    name: 'a message quoting another field',
    path: '/ev-other',
    mount: (r, p) =>
      r.post(
        p,
        validate([
          body('confirm')
            .custom((value, { req }) => value === (req.body as { password?: string }).password)
            .withMessage((_value, { req }) => `does not match ${(req.body as { password?: string }).password}`),
        ]),
        ok,
      ),
    send: (t) => t.send({ password: S, confirm: 'nope' }),
    issues: [{ path: 'confirm', message: 'Invalid value' }],
  },
  {
    name: 'zod 4',
    path: '/zod4',
    mount: (r, p) =>
      r.post(p, (req, res) => {
        z4.object({ name: z4.string(), items: z4.array(z4.object({ id: z4.number() })) })
          .strict()
          .parse(req.body);
        ok(req, res);
      }),
    send: (t) => t.send({ name: 1, items: [{ id: S }], [S]: S }),
    issues: [
      { path: 'name', message: 'Invalid input: expected string, received number' },
      { path: 'items.0.id', message: 'Invalid input: expected number, received string' },
      { path: '', message: 'Unrecognized keys are not allowed' },
    ],
  },
  {
    name: 'zod/mini',
    path: '/zod-mini',
    mount: (r, p) =>
      r.post(p, (req, res) => {
        zm.parse(zm.object({ user: zm.object({ name: zm.string() }) }), req.body);
        ok(req, res);
      }),
    send: (t) => t.send({ user: { name: 7 } }),
    issues: [{ path: 'user.name', message: 'Invalid input: expected string, received number' }],
  },
  {
    name: 'zod 3',
    path: '/zod3',
    mount: (r, p) =>
      r.post(p, (req, res) => {
        z3.object({ role: z3.enum(['admin', 'user']) })
          .strict()
          .parse(req.body);
        ok(req, res);
      }),
    send: (t) => t.send({ role: S, [S]: 1 }),
    issues: [
      { path: 'role', message: "Invalid enum value. Expected 'admin' | 'user'" },
      { path: '', message: 'Unrecognized keys are not allowed' },
    ],
  },
  {
    name: 'Joi',
    path: '/joi',
    mount: (r, p) =>
      r.post(p, (req, res) => {
        const { error } = Joi.object({ name: Joi.string().required(), code: Joi.string().pattern(/^[a-z]+$/) }).validate(req.body, {
          abortEarly: false,
        });
        if (error) throw error;
        ok(req, res);
      }),
    send: (t) => t.send({ code: S }),
    issues: [
      { path: 'name', message: 'is required' },
      { path: 'code', message: 'fails to match the required pattern' },
    ],
  },
  {
    name: 'celebrate',
    path: '/celebrate',
    mount: (r, p) => r.post(p, celebrate({ [Segments.BODY]: CelebrateJoi.object({ name: CelebrateJoi.string().required() }) }), ok),
    send: (t) => t.send({ [S]: S }),
    issues: [{ path: 'name', message: 'is required' }],
  },
  {
    name: 'express-openapi-validator',
    path: '/openapi',
    mount: () => undefined,
    send: (t) => t.send({ items: [{ id: S }] }),
    issues: [
      { path: 'name', message: "must have required property 'name'" },
      { path: 'items.0.id', message: 'must be integer' },
    ],
  },
  {
    name: 'malformed body',
    path: '/echo',
    mount: (r, p) => r.post(p, ok),
    send: (t) => t.set('Content-Type', 'application/json').send(`{"password":"${S}"`),
    issues: [{ path: '', message: 'Malformed request body' }],
    hard: true,
  },
];

function apiSpec(): object {
  const paths: Record<string, unknown> = {};
  for (const preset of PRESET_CASES) {
    paths[`/${slug(preset.name)}/openapi`] = {
      post: {
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
    };
  }
  return { openapi: '3.0.0', info: { title: 'validation', version: '1' }, paths };
}

describe.each(EXPRESS_FLAVORS)('validation failures in every preset on %s', (flavor) => {
  const exp = expressOf(flavor);
  const app = exp();
  app.use(requestId());
  for (const preset of PRESET_CASES) app.use(`/${slug(preset.name)}`, envelope(preset.format as 'vbapi', preset.options as never));
  app.use(exp.json());
  app.use(OpenApiValidator.middleware({ apiSpec: apiSpec() as never, ignoreUndocumented: true, validateRequests: { allErrors: true } }));
  for (const preset of PRESET_CASES) {
    const router = exp.Router();
    for (const adapter of ADAPTERS) adapter.mount(router, adapter.path);
    router.post('/openapi', ok);
    app.use(`/${slug(preset.name)}`, router);
  }
  app.use(notFound());
  app.use(errorHandler());

  const cases = PRESET_CASES.flatMap((preset) => ADAPTERS.map((adapter) => [preset.name, adapter.name, preset, adapter] as const));

  it.each(cases)('%s renders %s exactly', async (_p, _a, preset, adapter) => {
    const instance = `/${slug(preset.name)}${adapter.path}`;
    const res = await adapter.send(request(app).post(instance));
    const id = res.headers['x-request-id'];
    const expected = preset.expect(adapter.issues, { id, instance, status: 400, hard: adapter.hard === true });
    expectEnvelope(res, {
      format: preset.format,
      options: preset.options,
      kind: 'error',
      status: expected.status,
      body: expected.body,
      contentType: preset.contentType,
    });
    expect(res.text).not.toContain(S);
    expect(JSON.stringify(res.headers)).not.toContain(S);
  });
});
