// jsend: success / fail / error (docs/reference/presets/jsend.md).

import createError from 'http-errors';
import type { Response } from 'supertest';
import { FLAVORS, type Handler, quiet } from '../helpers/create-app';
import { expectEnvelope } from '../helpers/expect-envelope';
import { SECRET, presetClient } from '../helpers/routes';

const format = 'jsend';

const extra: Record<string, Handler> = {
  '/coded-crash': () => {
    throw createError(502, 'Upstream said no', { expose: true, code: 'UPSTREAM' });
  },
  '/same-field': () => {
    throw createError(400, 'ignored', {
      details: [
        { path: 'email', message: 'is required' },
        { path: 'email', message: 'must be an email' },
      ],
    });
  },
};

describe.each(FLAVORS)('jsend on %s', (flavor) => {
  quiet();
  const api = presetClient(flavor, format, undefined, extra);
  const ok = (res: Response, status: number, body: unknown) => expectEnvelope(res, { format, kind: 'success', status, body });
  const err = (res: Response, status: number, body: unknown) => expectEnvelope(res, { format, kind: 'error', status, body });

  it('writes successes as { status: "success", data } with the status as meant', async () => {
    ok(await api.get('/api/ok'), 200, { status: 'success', data: { id: 1, name: 'Example' } });
    ok(await api.get('/api/created'), 201, { status: 'success', data: { id: 2, name: 'New' } });
    ok(await api.get('/api/empty'), 200, { status: 'success', data: null });
  });

  it('writes 4xx as fail with the message', async () => {
    err(await api.get('/api/not-found'), 404, { status: 'fail', data: { message: 'Client not found' } });
    err(await api.get('/api/hidden'), 401, { status: 'fail', data: { message: 'Unauthorized' } });
    err(await api.get('/api/nope'), 404, { status: 'fail', data: { message: 'Not Found' } });
  });

  it('writes validation as fail with field → message (body-level issues under "body")', async () => {
    err(await api.get('/api/validation'), 400, {
      status: 'fail',
      data: { service_id: 'field required', 'items.0.id': 'must be a number' },
    });
    err(await api.get('/api/same-field'), 400, { status: 'fail', data: { email: 'is required; must be an email' } });
    const res = await api.post('/api/echo', `{"${SECRET}`);
    err(res, 400, { status: 'fail', data: { body: 'Malformed request body' } });
  });

  it('writes 5xx as error with the generic message, and the code only when explicit', async () => {
    err(await api.get('/api/crash'), 500, { status: 'error', message: 'Internal Server Error' });
    err(await api.get('/api/coded-crash'), 502, { status: 'error', message: 'Upstream said no', code: 'UPSTREAM' });
  });
});
