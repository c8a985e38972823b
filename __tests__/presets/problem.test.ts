// problem: RFC 9457 problem details, the default of errorHandler() (docs/reference/presets/problem.md).

import createError from 'http-errors';
import type { Response } from 'supertest';
import { FLAVORS, type Handler, quiet } from '../helpers/create-app';
import { expectEnvelope } from '../helpers/expect-envelope';
import { SECRET, presetClient } from '../helpers/routes';

const format = 'problem';
const PROBLEM = 'application/problem+json; charset=utf-8';

const extra: Record<string, Handler> = {
  '/typed': () => {
    throw createError(403, 'Your balance is 30, the item costs 50', { type: 'https://example.com/probs/out-of-credit' });
  },
  '/relative-type': () => {
    throw createError(403, 'Nope', { type: 'out.of.credit' });
  },
  '/pointers': () => {
    throw createError(400, 'ignored', { details: [{ path: 'a/b.c~d', message: 'odd key' }] });
  },
};

describe.each(FLAVORS)('problem on %s', (flavor) => {
  quiet();
  const api = presetClient(flavor, format, undefined, extra);
  const err = (res: Response, status: number, body: unknown) =>
    expectEnvelope(res, { format, kind: 'error', status, body, contentType: PROBLEM });
  const ok = (res: Response, status: number, body: unknown) => expectEnvelope(res, { format, kind: 'success', status, body });

  it('sends success payloads unchanged', async () => {
    ok(await api.get('/api/ok'), 200, { id: 1, name: 'Example' });
    ok(await api.get('/api/created'), 201, { id: 2, name: 'New' });
  });

  it('writes errors as problem details with about:blank, the title and the instance', async () => {
    err(await api.get('/api/not-found?q=1'), 404, {
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      detail: 'Client not found',
      instance: '/api/not-found',
    });
    err(await api.get('/api/coded'), 404, {
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      detail: 'Version not found',
      instance: '/api/coded',
      code: 'VERSION_MISSING',
    });
  });

  it('uses err.type only when it is an absolute URI', async () => {
    err(await api.get('/api/typed'), 403, {
      type: 'https://example.com/probs/out-of-credit',
      title: 'Forbidden',
      status: 403,
      detail: 'Your balance is 30, the item costs 50',
      instance: '/api/typed',
    });
    err(await api.get('/api/relative-type'), 403, {
      type: 'about:blank',
      title: 'Forbidden',
      status: 403,
      detail: 'Nope',
      instance: '/api/relative-type',
    });
  });

  it('lists validation issues with JSON pointers', async () => {
    err(await api.get('/api/validation'), 400, {
      type: 'about:blank',
      title: 'Bad Request',
      status: 400,
      detail: 'service_id: field required; items.0.id: must be a number',
      instance: '/api/validation',
      errors: [
        { detail: 'field required', pointer: '#/service_id' },
        { detail: 'must be a number', pointer: '#/items/0/id' },
      ],
    });
    err(await api.get('/api/pointers'), 400, {
      type: 'about:blank',
      title: 'Bad Request',
      status: 400,
      detail: 'a/b.c~d: odd key',
      instance: '/api/pointers',
      errors: [{ detail: 'odd key', pointer: '#/a~1b/c~0d' }],
    });
    const res = await api.post('/api/echo', `{"${SECRET}`);
    err(res, 400, {
      type: 'about:blank',
      title: 'Bad Request',
      status: 400,
      detail: 'Malformed request body',
      instance: '/api/echo',
      errors: [{ detail: 'Malformed request body', pointer: '#/' }],
    });
  });

  it('hides unexposed messages behind the title', async () => {
    err(await api.get('/api/crash'), 500, {
      type: 'about:blank',
      title: 'Internal Server Error',
      status: 500,
      detail: 'Internal Server Error',
      instance: '/api/crash',
    });
    err(await api.get('/api/hidden'), 401, {
      type: 'about:blank',
      title: 'Unauthorized',
      status: 401,
      detail: 'Unauthorized',
      instance: '/api/hidden',
    });
  });
});
