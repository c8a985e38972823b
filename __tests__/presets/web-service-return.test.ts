// webServiceReturn: eData's always-200 envelope, payload keys beside it (docs/reference/presets/web-service-return.md).

import createError from 'http-errors';
import type { Response } from 'supertest';
import { FLAVORS, type Handler, quiet } from '../helpers/create-app';
import { expectEnvelope } from '../helpers/expect-envelope';
import { SECRET, presetClient } from '../helpers/routes';

const format = 'webServiceReturn';
const OK = { Status: 'wrsSuccess', ErrorCode: '', Message: '', Actor: '', ReturnQuestion: null };
const failed = (ErrorCode: string, Message: string, Actor = '', ReturnQuestion: unknown = null) => ({
  Status: 'wrsFailed',
  ErrorCode,
  Message,
  Actor,
  ReturnQuestion,
});

const extra: Record<string, Handler> = {
  '/custom-info': (_req, res) => res.success({ CustomInfoResultList: [{ Name: 'a' }] }),
  '/message': (_req, res) => res.success({ LoadInfoData: { Loads: 2 } }, { message: 'Loaded' }),
  '/documented-error': () => {
    throw createError(400, 'The provided parameter "GetCustomInfoParams.CustomInfoScriptName" is invalid!', {
      code: 'WSR-004',
      actor: 'GetCustomInfo/GetCustomInfoCore/ValidateAndLoadQueryCustomParams',
      data: { CustomInfoResultList: null, WebServiceReturn: 'ignored' },
    });
  },
  '/question': () => {
    throw createError(409, 'Overwrite the load?', { code: 'ARW-001', returnQuestion: { Options: ['Yes', 'No'] } });
  },
  '/clash': (_req, res) => res.success({ WebServiceReturn: 1 }),
  '/big': (_req, res) => res.success({ Id: 9007199254740993n }),
};

describe.each(FLAVORS)('webServiceReturn on %s', (flavor) => {
  quiet();
  const api = presetClient(flavor, format, undefined, extra);
  const ok = (res: Response, body: unknown) => expectEnvelope(res, { format, kind: 'success', status: 200, body });
  const err = (res: Response, status: number, body: unknown) => expectEnvelope(res, { format, kind: 'error', status, body });

  it('reproduces the documented success body and puts the payload beside WebServiceReturn', async () => {
    const res = await api.get('/api/custom-info');
    expect(res.text).toBe(
      '{"WebServiceReturn":{"Status":"wrsSuccess","ErrorCode":"","Message":"","Actor":"","ReturnQuestion":null},"CustomInfoResultList":[{"Name":"a"}]}',
    );
    ok(res, { WebServiceReturn: OK, CustomInfoResultList: [{ Name: 'a' }] });
    ok(await api.get('/api/empty'), { WebServiceReturn: OK });
    ok(await api.get('/api/message'), { WebServiceReturn: { ...OK, Message: 'Loaded' }, LoadInfoData: { Loads: 2 } });
  });

  it('puts a payload that is not a plain object under "Data", and answers 200 even for a 201', async () => {
    ok(await api.get('/api/list'), { WebServiceReturn: OK, Data: [{ id: 1, name: 'Example' }] });
    ok(await api.get('/api/created'), { WebServiceReturn: OK, id: 2, name: 'New' });
  });

  it('reproduces the documented error body: code, actor, payload keys (the envelope key wins)', async () => {
    const res = await api.get('/api/documented-error');
    expect(res.text).toBe(
      '{"WebServiceReturn":{"Status":"wrsFailed","ErrorCode":"WSR-004","Message":"The provided parameter \\"GetCustomInfoParams.CustomInfoScriptName\\" is invalid!",' +
        '"Actor":"GetCustomInfo/GetCustomInfoCore/ValidateAndLoadQueryCustomParams","ReturnQuestion":null},"CustomInfoResultList":null}',
    );
    err(res, 200, {
      WebServiceReturn: failed(
        'WSR-004',
        'The provided parameter "GetCustomInfoParams.CustomInfoScriptName" is invalid!',
        'GetCustomInfo/GetCustomInfoCore/ValidateAndLoadQueryCustomParams',
      ),
      CustomInfoResultList: null,
    });
  });

  it('answers HTTP 200 for every error below 500, with WSR-<status> as the default code', async () => {
    err(await api.get('/api/not-found'), 200, { WebServiceReturn: failed('WSR-404', 'Client not found') });
    err(await api.get('/api/question'), 200, {
      WebServiceReturn: failed('ARW-001', 'Overwrite the load?', '', { Options: ['Yes', 'No'] }),
    });
    err(await api.get('/api/hidden'), 200, { WebServiceReturn: failed('WSR-401', 'Unauthorized') });
    err(await api.get('/api/nope'), 200, { WebServiceReturn: failed('WSR-404', 'Not Found') });
  });

  it('renders validation with the issues as the message and WSR-400', async () => {
    err(await api.get('/api/validation'), 200, {
      WebServiceReturn: failed('WSR-400', 'service_id: field required; items.0.id: must be a number'),
    });
    const res = await api.post('/api/echo', `{"${SECRET}"`);
    err(res, 200, { WebServiceReturn: failed('WSR-400', 'Malformed request body') });
  });

  it('answers 500 for every 5xx without the message', async () => {
    err(await api.get('/api/crash'), 500, { WebServiceReturn: failed('WSR-500', 'Internal Server Error') });
    const res = await api.get('/api/unavailable');
    err(res, 500, { WebServiceReturn: failed('WSR-503', 'Service Unavailable') });
    expect(res.text).not.toContain(SECRET);
  });

  it('treats a payload key WebServiceReturn as a programming error', async () => {
    err(await api.get('/api/clash'), 500, { WebServiceReturn: failed('WSR-500', 'Internal Server Error') });
  });

  it('writes BigInt ids as exact integers', async () => {
    const res = await api.get('/api/big');
    expect(res.text).toBe(
      '{"WebServiceReturn":{"Status":"wrsSuccess","ErrorCode":"","Message":"","Actor":"","ReturnQuestion":null},"Id":9007199254740993}',
    );
  });
});
