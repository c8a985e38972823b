// The demo's playground: GET / answers the page to a browser and the JSON index to everyone else;
// the page's script and the client build are served; the routes the page adds (WisPanel's variants,
// /validation) answer in their envelopes.

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Application } from 'express';
import request from 'supertest';
import { assertSchema } from './helpers/expect-envelope';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createDemoApp } = require('../examples/app') as { createDemoApp: (options?: { clientFile?: string }) => Application };

const PLAYGROUND = join(__dirname, '..', 'examples', 'playground');
const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';

let work: string;
let clientFile: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'playground-'));
  clientFile = join(work, 'client.mjs');
  await writeFile(clientFile, 'export const decodeText = () => null;\n');
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('GET /', () => {
  const app = createDemoApp();

  test('a browser asking for HTML gets the playground page', async () => {
    const res = await request(app).get('/').set('Accept', BROWSER_ACCEPT);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['x-request-id']).toEqual(expect.any(String));
    expect(res.text).toBe(await readFile(join(PLAYGROUND, 'index.html'), 'utf8'));
  });

  test.each(['application/json', '*/*', undefined])('Accept %s gets the JSON index', async (accept) => {
    const req = request(app).get('/').set('Host', 'demo.test');
    const res = await (accept === undefined ? req : req.set('Accept', accept));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect((res.body as { name: string }).name).toBe('express-envelope demo');
    expect((res.body as { presets: { examples: { url: string }[] }[] }).presets[0].examples[0].url).toBe(
      'http://demo.test/vbapi/clients/1',
    );
  });
});

describe('the playground files', () => {
  test('the page script is served as JavaScript', async () => {
    const res = await request(createDemoApp()).get('/playground/app.js');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(res.text).toBe(await readFile(join(PLAYGROUND, 'app.js'), 'utf8'));
  });

  test('the client build is served from the given file', async () => {
    const res = await request(createDemoApp({ clientFile })).get('/playground/client.mjs');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(res.text).toBe('export const decodeText = () => null;\n');
  });

  test('a missing client build says how to make it, in problem details', async () => {
    const res = await request(createDemoApp({ clientFile: join(work, 'none.mjs') }))
      .get('/playground/client.mjs')
      .set('X-Request-Id', 'pg-missing');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(res.text).toBe(
      JSON.stringify({
        type: 'about:blank',
        title: 'Not Found',
        status: 404,
        detail: 'The client build is missing: run `npm run build` (npm start does it)',
        instance: '/playground/client.mjs',
      }),
    );
  });
});

describe('routes the playground adds', () => {
  const app = createDemoApp();
  const VALIDATION = 'name: Required; email: Must be an email address';

  test.each([
    [
      '/vbapi',
      'vbapi',
      undefined,
      400,
      {
        data: null,
        error: {
          type: 'https://httpstatuses.com/400',
          title: 'Bad Request',
          status: 400,
          detail: `Validation failed: ${VALIDATION}`,
          instance: '/vbapi/validation',
        },
        debug: { activityId: 'pg-v' },
      },
    ],
    ['/jsend', 'jsend', undefined, 422, { status: 'fail', data: { name: 'Required', email: 'Must be an email address' } }],
    [
      '/wispanel-portal',
      'wispanel',
      'portal',
      422,
      {
        success: false,
        error: 'Validation failed',
        code: 'VALIDATION_ERROR',
        details: { name: ['Required'], email: ['Must be an email address'] },
      },
    ],
    [
      '/wispanel-license',
      'wispanel',
      'license',
      422,
      {
        valid: false,
        error: 'Invalid request data',
        code: 'VALIDATION_ERROR',
        details: { name: ['Required'], email: ['Must be an email address'] },
      },
    ],
    ['/wispanel-lean', 'wispanel', 'lean', 400, { success: false, error: `Validation failed: ${VALIDATION}`, code: 'VALIDATION_ERROR' }],
    ['/wispanel-bare', 'wispanel', 'bare', 400, { error: `Validation failed: ${VALIDATION}` }],
  ])('GET %s/validation', async (prefix, preset, variant, status, body) => {
    const res = await request(app).get(`${prefix}/validation`).set('X-Request-Id', 'pg-v');
    expect({ status: res.status, text: res.text }).toEqual({ status, text: JSON.stringify(body) });
    assertSchema(preset, 'error', JSON.parse(res.text), variant ? { variant } : undefined);
  });

  test.each([
    ['/wispanel-portal', 'portal', { success: true, data: { id: 1, name: 'Example' } }],
    ['/wispanel-license', 'license', { valid: true, id: 1, name: 'Example' }],
    ['/wispanel-lean', 'lean', { success: true, data: { id: 1, name: 'Example' } }],
    ['/wispanel-bare', 'bare', { id: 1, name: 'Example' }],
  ])('GET %s/clients/1', async (prefix, variant, body) => {
    const res = await request(app).get(`${prefix}/clients/1`);
    expect({ status: res.status, text: res.text }).toEqual({ status: 200, text: JSON.stringify(body) });
    assertSchema('wispanel', 'success', JSON.parse(res.text), { variant });
  });
});
