// wispanel: the panel, portal, license, lean and bare shapes (docs/reference/presets/wispanel.md).

import createError from 'http-errors';
import type { Response } from 'supertest';
import { wispanel, wispanelCode } from '../../lib/formats/wispanel';
import { FLAVORS, quiet } from '../helpers/create-app';
import { expectEnvelope } from '../helpers/expect-envelope';
import { SECRET, presetClient } from '../helpers/routes';

const extra = {
  '/version-required': () => {
    throw createError(422, 'ignored', { details: [{ path: 'version', message: 'The version field is required.' }] });
  },
  '/hardware': () => {
    throw createError(400, 'ignored', {
      details: [{ path: 'hardware_id', message: 'The hardware id field must be 64 characters.' }],
    });
  },
  '/license': (_req: unknown, res: { success(d: unknown): unknown }) => res.success({ license: 'WP-1', expires: '2027-01-01' }),
  '/license-list': (_req: unknown, res: { success(d: unknown): unknown }) => res.success(['a']),
  '/license-clash': (_req: unknown, res: { success(d: unknown): unknown }) => res.success({ valid: 'maybe' }),
  '/invalid-license': () => {
    throw createError(401, 'Invalid license');
  },
  '/too-many': () => {
    throw createError(429, 'Slow down');
  },
  '/teapot': () => {
    throw createError(418, 'No coffee');
  },
};

describe('wispanel codes', () => {
  it('maps statuses to the documented codes, and others to the upper snake title', () => {
    expect([400, 401, 403, 404, 409, 422, 429, 500, 502, 503, 405, 418, 413].map(wispanelCode)).toEqual([
      'VALIDATION_ERROR',
      'UNAUTHORIZED',
      'FORBIDDEN',
      'NOT_FOUND',
      'CONFLICT',
      'VALIDATION_ERROR',
      'RATE_LIMITED',
      'INTERNAL_ERROR',
      'INTERNAL_ERROR',
      'INTERNAL_ERROR',
      'METHOD_NOT_ALLOWED',
      'I_M_A_TEAPOT',
      'PAYLOAD_TOO_LARGE',
    ]);
  });

  it('rejects an unknown variant when the format is made', () => {
    expect(() => wispanel({ variant: 'admin' as never })).toThrow(expect.objectContaining({ code: 'ERR_ENVELOPE_INVALID_OPTION' }));
  });
});

describe.each(FLAVORS)('wispanel on %s', (flavor) => {
  quiet();

  describe('panel (default)', () => {
    const api = presetClient(flavor, 'wispanel', undefined, extra);
    const err = (res: Response, status: number, code: string, message: string) =>
      expectEnvelope(res, { format: 'wispanel', kind: 'error', status, body: { success: false, code, error: message, message, status } });
    const ok = (res: Response, status: number, body: unknown) => expectEnvelope(res, { format: 'wispanel', kind: 'success', status, body });

    it('reproduces the documented panel errors byte for byte', async () => {
      const res = await api.get('/api/unauthorized');
      expect(res.text).toBe(
        '{"success":false,"code":"UNAUTHORIZED","error":"Invalid credentials","message":"Invalid credentials","status":401}',
      );
      err(res, 401, 'UNAUTHORIZED', 'Invalid credentials');
      err(await api.get('/api/bad-request'), 400, 'VALIDATION_ERROR', 'Username and password are required');
      err(await api.get('/api/forbidden'), 403, 'FORBIDDEN', 'Cannot mint SSO for admin accounts');
    });

    it('derives codes from the status, and an explicit code wins', async () => {
      err(await api.get('/api/conflict'), 409, 'CONFLICT', 'Already exists');
      err(await api.get('/api/method'), 405, 'METHOD_NOT_ALLOWED', 'Use POST');
      err(await api.get('/api/too-many'), 429, 'RATE_LIMITED', 'Slow down');
      err(await api.get('/api/teapot'), 418, 'I_M_A_TEAPOT', 'No coffee');
      err(await api.get('/api/coded'), 404, 'VERSION_MISSING', 'Version not found');
      err(await api.get('/api/crash'), 500, 'INTERNAL_ERROR', 'Internal Server Error');
      err(await api.get('/api/nope'), 404, 'NOT_FOUND', 'Not Found');
    });

    it('renders validation as 400 "Validation failed: <issues>"', async () => {
      err(
        await api.get('/api/validation'),
        400,
        'VALIDATION_ERROR',
        'Validation failed: service_id: field required; items.0.id: must be a number',
      );
      err(await api.post('/api/echo', '{'), 400, 'VALIDATION_ERROR', 'Validation failed: Malformed request body');
    });

    it('reproduces the documented success bodies, meta only when given', async () => {
      const res = await api.get('/api/meta');
      expect(res.text).toBe('{"success":true,"data":[],"meta":{"total":0,"per_page":50,"current_page":1,"last_page":1}}');
      ok(res, 200, { success: true, data: [], meta: { total: 0, per_page: 50, current_page: 1, last_page: 1 } });
      ok(await api.get('/api/created'), 201, { success: true, data: { id: 2, name: 'New' } });
      ok(await api.get('/api/empty'), 200, { success: true, data: null });
    });
  });

  describe('portal', () => {
    const options = { variant: 'portal' };
    const api = presetClient(flavor, 'wispanel', options, extra);
    const err = (res: Response, status: number, body: unknown) =>
      expectEnvelope(res, { format: 'wispanel', options, kind: 'error', status, body });

    it('reproduces the documented portal bodies', async () => {
      const res = await api.get('/api/version-required');
      expect(res.text).toBe(
        '{"success":false,"error":"Validation failed","code":"VALIDATION_ERROR","details":{"version":["The version field is required."]}}',
      );
      err(res, 422, {
        success: false,
        error: 'Validation failed',
        code: 'VALIDATION_ERROR',
        details: { version: ['The version field is required.'] },
      });
      err(await api.get('/api/coded'), 404, { success: false, error: 'Version not found', code: 'VERSION_MISSING' });
      err(await api.get('/api/not-found'), 404, { success: false, error: 'Client not found', code: 'NOT_FOUND' });
    });

    it('groups several issues per field, and keys a body-level issue as "body"', async () => {
      err(await api.get('/api/validation'), 422, {
        success: false,
        error: 'Validation failed',
        code: 'VALIDATION_ERROR',
        details: { service_id: ['field required'], 'items.0.id': ['must be a number'] },
      });
      err(await api.post('/api/echo', `{"k":"${SECRET}`), 422, {
        success: false,
        error: 'Validation failed',
        code: 'VALIDATION_ERROR',
        details: { body: ['Malformed request body'] },
      });
    });

    it('writes successes as panel does', async () => {
      expectEnvelope(await api.get('/api/ok'), {
        format: 'wispanel',
        options,
        kind: 'success',
        status: 200,
        body: { success: true, data: { id: 1, name: 'Example' } },
      });
    });
  });

  describe('license', () => {
    const options = { variant: 'license' };
    const api = presetClient(flavor, 'wispanel', options, extra);
    const err = (res: Response, status: number, body: unknown) =>
      expectEnvelope(res, { format: 'wispanel', options, kind: 'error', status, body });
    const ok = (res: Response, status: number, body: unknown) =>
      expectEnvelope(res, { format: 'wispanel', options, kind: 'success', status, body });

    it('reproduces the documented license validation body', async () => {
      const res = await api.get('/api/hardware');
      expect(res.text).toBe(
        '{"valid":false,"error":"Invalid request data","code":"VALIDATION_ERROR","details":{"hardware_id":["The hardware id field must be 64 characters."]}}',
      );
      err(res, 422, {
        valid: false,
        error: 'Invalid request data',
        code: 'VALIDATION_ERROR',
        details: { hardware_id: ['The hardware id field must be 64 characters.'] },
      });
      err(await api.get('/api/invalid-license'), 401, { valid: false, error: 'Invalid license', code: 'UNAUTHORIZED' });
    });

    it('spreads a success payload beside "valid"; other values go under "data"', async () => {
      ok(await api.get('/api/license'), 200, { valid: true, license: 'WP-1', expires: '2027-01-01' });
      ok(await api.get('/api/license-list'), 200, { valid: true, data: ['a'] });
      ok(await api.get('/api/empty'), 200, { valid: true });
    });

    it('treats a payload key "valid" as a programming error: a 500 in the envelope', async () => {
      err(await api.get('/api/license-clash'), 500, { valid: false, error: 'Internal Server Error', code: 'INTERNAL_ERROR' });
    });
  });

  describe('lean', () => {
    const options = { variant: 'lean' };
    const api = presetClient(flavor, 'wispanel', options, extra);
    const err = (res: Response, status: number, body: unknown) =>
      expectEnvelope(res, { format: 'wispanel', options, kind: 'error', status, body });

    it('writes { success, error, code } errors and panel successes', async () => {
      err(await api.get('/api/bad-request'), 400, {
        success: false,
        error: 'Username and password are required',
        code: 'VALIDATION_ERROR',
      });
      err(await api.get('/api/validation'), 400, {
        success: false,
        error: 'Validation failed: service_id: field required; items.0.id: must be a number',
        code: 'VALIDATION_ERROR',
      });
      err(await api.get('/api/crash'), 500, { success: false, error: 'Internal Server Error', code: 'INTERNAL_ERROR' });
      expectEnvelope(await api.get('/api/ok'), {
        format: 'wispanel',
        options,
        kind: 'success',
        status: 200,
        body: { success: true, data: { id: 1, name: 'Example' } },
      });
    });
  });

  describe('bare', () => {
    const options = { variant: 'bare' };
    const api = presetClient(flavor, 'wispanel', options, extra);

    it('reproduces the documented bare error and sends successes unchanged', async () => {
      const res = await api.get('/api/invalid-license');
      expect(res.text).toBe('{"error":"Invalid license"}');
      expectEnvelope(res, { format: 'wispanel', options, kind: 'error', status: 401, body: { error: 'Invalid license' } });
      expectEnvelope(await api.get('/api/validation'), {
        format: 'wispanel',
        options,
        kind: 'error',
        status: 400,
        body: { error: 'Validation failed: service_id: field required; items.0.id: must be a number' },
      });
      expectEnvelope(await api.get('/api/ok'), {
        format: 'wispanel',
        options,
        kind: 'success',
        status: 200,
        body: { id: 1, name: 'Example' },
      });
    });
  });
});
