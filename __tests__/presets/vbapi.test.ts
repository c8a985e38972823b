// vbapi: `{ data, error, debug }` (docs/reference/presets/vbapi.md), on Express 5, Express 4 and Connect.

import type { Response } from 'supertest';
import { FLAVORS, quiet } from '../helpers/create-app';
import { type Expected, UUID_V4, expectEnvelope } from '../helpers/expect-envelope';
import { SECRET, presetClient } from '../helpers/routes';

const format = 'vbapi';
const debug = (res: Response) => ({ activityId: res.headers['x-request-id'] });

function success(res: Response, status: number, data: unknown, extra: Partial<Expected> = {}): void {
  expectEnvelope(res, { format, kind: 'success', status, body: { data, error: null, debug: debug(res) }, ...extra });
}

function failure(res: Response, status: number, detail: string, instance: string, title: string): void {
  expectEnvelope(res, {
    format,
    kind: 'error',
    status,
    body: {
      data: null,
      error: { type: `https://httpstatuses.com/${status}`, title, status, detail, instance },
      debug: debug(res),
    },
  });
}

describe.each(FLAVORS)('vbapi on %s', (flavor) => {
  quiet();
  const api = presetClient(flavor, format);

  it('wraps a res.json() success and uses the request id as activityId', async () => {
    const res = await api.get('/api/ok');
    success(res, 200, { id: 1, name: 'Example' });
    expect(res.headers['x-request-id']).toMatch(UUID_V4);
  });

  it('reproduces the documented list example', async () => {
    const res = await api.get('/api/list').set('X-Request-Id', 'a62d1412-9fe9-4ac0-9dc7-3a3e35d202fd');
    expect(res.text).toBe(
      '{"data":[{"id":1,"name":"Example"}],"error":null,"debug":{"activityId":"a62d1412-9fe9-4ac0-9dc7-3a3e35d202fd"}}',
    );
    success(res, 200, [{ id: 1, name: 'Example' }]);
  });

  it('keeps the status the handler meant (201), from res.success() extras or res.statusCode', async () => {
    success(await api.get('/api/created'), 201, { id: 2, name: 'New' });
    success(await api.get('/api/created-status'), 201, { id: 2, name: 'New' });
  });

  it('writes null data for res.success() without data, and info like success', async () => {
    success(await api.get('/api/empty'), 200, null);
    success(await api.get('/api/info'), 200, { max_tickets: 3 });
  });

  it('sends meta as an X-Pagination header, not in the body', async () => {
    const res = await api.get('/api/meta');
    success(res, 200, [], {
      headers: { 'X-Pagination': '{"total":0,"per_page":50,"current_page":1,"last_page":1}' },
    });
  });

  it('reproduces the documented 404 error example', async () => {
    const res = await api.get('/api/not-found').set('X-Request-Id', 'a62d1412-9fe9-4ac0-9dc7-3a3e35d202fd');
    expect(res.text).toBe(
      '{"data":null,"error":{"type":"https://httpstatuses.com/404","title":"Not Found","status":404,' +
        '"detail":"Client not found","instance":"/api/not-found"},"debug":{"activityId":"a62d1412-9fe9-4ac0-9dc7-3a3e35d202fd"}}',
    );
    failure(res, 404, 'Client not found', '/api/not-found', 'Not Found');
  });

  it('renders thrown 4xx with their message and the path without the query string', async () => {
    failure(await api.get('/api/bad-request?token=abc'), 400, 'Username and password are required', '/api/bad-request', 'Bad Request');
    failure(await api.get('/api/method'), 405, 'Use POST', '/api/method', 'Method Not Allowed');
    failure(await api.get('/api/json-error'), 409, 'Already exists', '/api/json-error', 'Conflict');
  });

  it('never shows an unexposed message: the title instead', async () => {
    for (const [path, status, title] of [
      ['/api/crash', 500, 'Internal Server Error'],
      ['/api/unavailable', 503, 'Service Unavailable'],
      ['/api/hidden', 401, 'Unauthorized'],
    ] as const) {
      const res = await api.get(path);
      failure(res, status, title, path, title);
      expect(res.text).not.toContain(SECRET);
    }
  });

  it('renders validation failures as 400 "Validation failed: <issues>"', async () => {
    failure(
      await api.get('/api/validation'),
      400,
      'Validation failed: service_id: field required; items.0.id: must be a number',
      '/api/validation',
      'Bad Request',
    );
  });

  it('renders a malformed body as a validation failure without echoing it', async () => {
    const res = await api.post('/api/echo', `{"password":"${SECRET}"`);
    failure(res, 400, 'Validation failed: Malformed request body', '/api/echo', 'Bad Request');
    expect(res.text).not.toContain(SECRET);
  });

  it('renders an unknown route under the prefix as a 404 in the envelope', async () => {
    failure(await api.get('/api/nope'), 404, 'Not Found', '/api/nope', 'Not Found');
  });
});
