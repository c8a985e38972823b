// statusOk (alias universa): `{ status: "OK" | "error" }`, soft errors on HTTP 200 (docs/reference/presets/status-ok.md).

import createError from 'http-errors';
import type { Response } from 'supertest';
import { FLAVORS, type Handler, quiet } from '../helpers/create-app';
import { expectEnvelope } from '../helpers/expect-envelope';
import { SECRET, presetClient } from '../helpers/routes';

const format = 'statusOk';

const extra: Record<string, Handler> = {
  '/account': (_req, res) => res.success({ Account: { id: 9223372036854775807n, name: 'Main' } }),
  '/accounts': (_req, res) => res.success({ Accounts: [{ id: 1n }, { id: 2n ** 62n }] }),
  '/number': (_req, res) => res.json(42),
  '/clash': (_req, res) => res.success({ status: 'mine' }),
  '/insufficient': () => {
    throw createError(402, 'Not enough funds', { code: 'insufficient_funds', data: { balance: 3, status: 'ignored', text: 'ignored' } });
  },
};

describe.each(FLAVORS)('statusOk on %s', (flavor) => {
  quiet();
  const ok = (res: Response, status: number, body: unknown) => expectEnvelope(res, { format, kind: 'success', status, body });
  const err = (res: Response, status: number, body: unknown) => expectEnvelope(res, { format, kind: 'error', status, body });

  describe.each(['statusOk', 'universa'] as const)('mounted as %s', (name) => {
    const api = presetClient(flavor, name, undefined, extra);

    it('spreads the payload beside status, and writes 63-bit ids exactly', async () => {
      const res = await api.get('/api/account');
      expect(res.text).toBe('{"status":"OK","Account":{"id":9223372036854775807,"name":"Main"}}');
      ok(res, 200, '{"status":"OK","Account":{"id":9223372036854775807,"name":"Main"}}');
      expect((await api.get('/api/accounts')).text).toBe('{"status":"OK","Accounts":[{"id":1},{"id":4611686018427387904}]}');
    });
  });

  const api = presetClient(flavor, format, undefined, extra);

  it('puts values that are not plain objects under "result", and nothing for no data', async () => {
    ok(await api.get('/api/number'), 200, { status: 'OK', result: 42 });
    ok(await api.get('/api/list'), 200, { status: 'OK', result: [{ id: 1, name: 'Example' }] });
    ok(await api.get('/api/empty'), 200, { status: 'OK' });
    ok(await api.get('/api/created'), 201, { status: 'OK', id: 2, name: 'New' });
  });

  it('answers soft errors with 200, a lower snake code and extra payload (envelope keys win)', async () => {
    err(await api.get('/api/not-found'), 200, { status: 'error', code: 'not_found', text: 'Client not found' });
    err(await api.get('/api/method'), 200, { status: 'error', code: 'method_not_allowed', text: 'Use POST' });
    err(await api.get('/api/coded'), 200, { status: 'error', code: 'VERSION_MISSING', text: 'Version not found' });
    err(await api.get('/api/insufficient'), 200, { status: 'error', code: 'insufficient_funds', text: 'Not enough funds', balance: 3 });
    err(await api.get('/api/validation'), 200, {
      status: 'error',
      code: 'validation_error',
      text: 'Validation failed: service_id: field required; items.0.id: must be a number',
    });
  });

  it('keeps the status of hard errors: unknown route, unparseable body, 5xx', async () => {
    err(await api.get('/api/nope'), 404, { status: 'error', code: 'not_found', text: 'Not Found' });
    const res = await api.post('/api/echo', `{"${SECRET}`);
    err(res, 400, { status: 'error', code: 'validation_error', text: 'Validation failed: Malformed request body' });
    err(await api.get('/api/crash'), 500, { status: 'error', code: 'internal_server_error', text: 'Internal Server Error' });
    err(await api.get('/api/unavailable'), 503, { status: 'error', code: 'service_unavailable', text: 'Service Unavailable' });
  });

  it('treats a payload key "status" as a programming error (500, logged)', async () => {
    err(await api.get('/api/clash'), 500, { status: 'error', code: 'internal_server_error', text: 'Internal Server Error' });
    expect(process.stderr.write).toHaveBeenCalledWith(expect.stringContaining('ERR_ENVELOPE_RESERVED_KEY'));
  });
});
