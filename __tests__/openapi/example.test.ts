// The complete small API of docs/guides/openapi.md (examples/openapi.js): the page shows the file as it is,
// its document is valid OpenAPI 3.1, the Redoc page points at it, and real responses match it.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Application } from 'express';
import request from 'supertest';
import type { OpenApiResponses } from '../../index';
import { EXPRESS_FLAVORS, expressOf } from '../helpers/create-app';
import { UUID_V4 } from '../helpers/expect-envelope';
import { assertDescribed } from '../helpers/openapi';
import { validateDocuments } from '../helpers/openapi-document';

interface Example {
  createOpenApiApp(express?: unknown): Application;
  document: { paths: Record<string, Record<string, { responses: OpenApiResponses }>> };
  REDOC: string;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const example = require('../../examples/openapi') as Example;
const ROOT = join(__dirname, '..', '..');

describe('docs/guides/openapi.md example', () => {
  it('shows examples/openapi.js exactly as it runs here', () => {
    const page = readFileSync(join(ROOT, 'docs', 'guides', 'openapi.md'), 'utf8');
    const source = readFileSync(join(ROOT, 'examples', 'openapi.js'), 'utf8');
    expect(page).toContain('```js\n' + source + '```\n');
  });

  // Run while the suite is collected: the child process is synchronous, and outside any test's timeout.
  const verdict = validateDocuments({ example: example.document });

  it('builds a valid OpenAPI 3.1 document', () => {
    expect(verdict).toEqual({ example: { valid: true, version: '3.1' } });
  });
});

describe.each(EXPRESS_FLAVORS)('the example API on %s', (flavor) => {
  const app = example.createOpenApiApp(expressOf(flavor));
  const responses = (path: string, method: string) => example.document.paths[path][method].responses;

  it('serves the document at /openapi.json, outside the envelope', async () => {
    const res = await request(app).get('/openapi.json');
    expect({ status: res.status, body: JSON.parse(res.text) }).toEqual({ status: 200, body: JSON.parse(JSON.stringify(example.document)) });
  });

  it('serves a Redoc page pointed at it', async () => {
    const res = await request(app).get('/docs');
    expect([res.status, res.headers['content-type'], res.text]).toEqual([200, 'text/html; charset=utf-8', example.REDOC]);
    expect(res.text).toContain('<redoc spec-url="/openapi.json"></redoc>');
  });

  it('answers a client in the vbapi envelope, as the document says', async () => {
    const res = await request(app).get('/api/clients/1');
    const id = res.headers['x-request-id'];
    expect(id).toMatch(UUID_V4);
    expect([res.status, res.text]).toEqual([200, `{"data":{"id":1,"name":"Example"},"error":null,"debug":{"activityId":"${id}"}}`]);
    assertDescribed(responses('/api/clients/{id}', 'get'), res, 'GET /api/clients/1');
  });

  it('answers a missing client with a 404, as the document says', async () => {
    const res = await request(app).get('/api/clients/9');
    const id = res.headers['x-request-id'];
    expect([res.status, res.text]).toEqual([
      404,
      `{"data":null,"error":{"type":"https://httpstatuses.com/404","title":"Not Found","status":404,"detail":"Client not found","instance":"/api/clients/9"},"debug":{"activityId":"${id}"}}`,
    ]);
    assertDescribed(responses('/api/clients/{id}', 'get'), res, 'GET /api/clients/9');
  });

  it('refuses a bad id and a bad body with the validation envelope, as the document says', async () => {
    const badId = await request(app).get('/api/clients/abc');
    expect([badId.status, JSON.parse(badId.text).error.detail]).toEqual([400, 'Validation failed: id: must be integer']);
    assertDescribed(responses('/api/clients/{id}', 'get'), badId, 'GET /api/clients/abc');
    const badBody = await request(app).post('/api/clients').send({ name: '' });
    expect([badBody.status, JSON.parse(badBody.text).error.detail]).toEqual([
      400,
      'Validation failed: name: must NOT have fewer than 1 characters',
    ]);
    assertDescribed(responses('/api/clients', 'post'), badBody, 'POST /api/clients (empty name)');
    const malformed = await request(app).post('/api/clients').set('Content-Type', 'application/json').send('{"name": ');
    expect([malformed.status, JSON.parse(malformed.text).error.detail]).toEqual([400, 'Validation failed: Malformed request body']);
    assertDescribed(responses('/api/clients', 'post'), malformed, 'POST /api/clients (malformed)');
  });

  it('creates a client with a 201, as the document says', async () => {
    const res = await request(app).post('/api/clients').send({ name: 'New' });
    const id = res.headers['x-request-id'];
    expect([res.status, res.text]).toEqual([201, `{"data":{"id":2,"name":"New"},"error":null,"debug":{"activityId":"${id}"}}`]);
    assertDescribed(responses('/api/clients', 'post'), res, 'POST /api/clients');
  });
});
