// backendResponse (alias wisphub): WispHub's `{ ok, type, action, data, message, meta }` (docs/reference/presets/backend-response.md).

import createError from 'http-errors';
import type { Response } from 'supertest';
import { FLAVORS, quiet } from '../helpers/create-app';
import { expectEnvelope } from '../helpers/expect-envelope';
import { SECRET, presetClient } from '../helpers/routes';

const ok = (res: Response, status: number, body: unknown) =>
  expectEnvelope(res, { format: 'backendResponse', kind: 'success', status, body });
const failed = (res: Response, status: number, message: string, action = 'error') =>
  expectEnvelope(res, {
    format: 'backendResponse',
    kind: 'error',
    status,
    body: { ok: false, type: 'error', action, data: null, message, meta: null },
  });

const extra = {
  '/client-not-found': () => {
    throw createError(404, 'No se encontró un cliente con ese documento', { action: 'client_not_found' });
  },
  '/pydantic': () => {
    throw createError(422, 'ignored', { details: [{ path: 'service_id', message: 'field required' }] });
  },
};

describe.each(FLAVORS)('backendResponse on %s', (flavor) => {
  quiet();

  describe.each(['backendResponse', 'wisphub'] as const)('mounted as %s', (name) => {
    const api = presetClient(flavor, name, undefined, extra);

    it('reproduces the documented client lookup success byte for byte', async () => {
      const res = await api.get('/api/action');
      expect(res.text).toBe(
        '{"ok":true,"type":"success","action":"client_found","data":{"service_id":12345,"name":"Juan Pérez"},"message":null,"meta":null}',
      );
      ok(res, 200, {
        ok: true,
        type: 'success',
        action: 'client_found',
        data: { service_id: 12345, name: 'Juan Pérez' },
        message: null,
        meta: null,
      });
    });

    it('reproduces the documented client-not-found error with its action', async () => {
      const res = await api.get('/api/client-not-found');
      expect(res.text).toBe(
        '{"ok":false,"type":"error","action":"client_not_found","data":null,"message":"No se encontró un cliente con ese documento","meta":null}',
      );
      failed(res, 404, 'No se encontró un cliente con ese documento', 'client_not_found');
    });

    it('reproduces the documented info response', async () => {
      const res = await api.get('/api/info');
      expect(res.text).toBe(
        '{"ok":true,"type":"info","action":"zone_ticket_limit_reached","data":{"max_tickets":3},"message":null,"meta":null}',
      );
      ok(res, 200, { ok: true, type: 'info', action: 'zone_ticket_limit_reached', data: { max_tickets: 3 }, message: null, meta: null });
    });

    it('reproduces the documented validation error (422)', async () => {
      const res = await api.get('/api/pydantic');
      expect(res.text).toBe(
        '{"ok":false,"type":"error","action":"error","data":null,"message":"Error de validación: service_id: field required","meta":null}',
      );
      failed(res, 422, 'Error de validación: service_id: field required');
    });

    it('reproduces the documented internal error without leaking the message', async () => {
      const res = await api.get('/api/crash');
      expect(res.text).toBe(
        '{"ok":false,"type":"error","action":"error","data":null,"message":"Ocurrió un error interno en el servidor.","meta":null}',
      );
      failed(res, 500, 'Ocurrió un error interno en el servidor.');
      failed(await api.get('/api/unavailable'), 503, 'Ocurrió un error interno en el servidor.');
    });
  });

  const api = presetClient(flavor, 'backendResponse', undefined, extra);

  it('defaults action to success, message and meta to null, and passes meta through', async () => {
    ok(await api.get('/api/ok'), 200, {
      ok: true,
      type: 'success',
      action: 'success',
      data: { id: 1, name: 'Example' },
      message: null,
      meta: null,
    });
    ok(await api.get('/api/created'), 201, {
      ok: true,
      type: 'success',
      action: 'success',
      data: { id: 2, name: 'New' },
      message: null,
      meta: null,
    });
    ok(await api.get('/api/empty'), 200, { ok: true, type: 'success', action: 'success', data: null, message: null, meta: null });
    ok(await api.get('/api/meta'), 200, {
      ok: true,
      type: 'success',
      action: 'success',
      data: [],
      message: null,
      meta: { total: 0, per_page: 50, current_page: 1, last_page: 1 },
    });
  });

  it('renders every validation failure as 422, a malformed body included', async () => {
    failed(await api.get('/api/validation'), 422, 'Error de validación: service_id: field required; items.0.id: must be a number');
    const res = await api.post('/api/echo', `{"x":"${SECRET}`);
    failed(res, 422, 'Error de validación: Malformed request body');
    expect(res.text).not.toContain(SECRET);
  });

  it('keeps 4xx messages and statuses; an unknown route is 404 "Not Found"', async () => {
    failed(await api.get('/api/not-found'), 404, 'Client not found');
    failed(await api.get('/api/json-error'), 409, 'Already exists');
    failed(await api.get('/api/hidden'), 401, 'Unauthorized');
    failed(await api.get('/api/nowhere'), 404, 'Not Found');
  });
});
