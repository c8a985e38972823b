// The example bodies of each preset's source document (WispHub, WisPanel, eData, Universa, VBAPI),
// copied here as they are written there, decoded with the result written out in full.

import { decodeText } from '../../client';
import type { ClientPreset, Decoded, DecodeOptions } from '../../client';

interface Example {
  name: string;
  preset: ClientPreset;
  options?: DecodeOptions;
  status: number;
  headers?: Record<string, string>;
  text: string;
  decoded: Decoded;
}

const ID = 'a62d1412-9fe9-4ac0-9dc7-3a3e35d202fd';
const HEADERS = { 'x-request-id': 'req-7' };

const EXAMPLES: Example[] = [
  // WispHub BackendResponse (alias wisphub): the action values are lower case on the wire.
  {
    name: 'WispHub client found',
    preset: 'wisphub',
    status: 200,
    headers: HEADERS,
    text: '{"ok": true, "type": "success", "action": "client_found", "data": {"service_id": 12345, "name": "Juan Pérez"}, "message": null, "meta": null}',
    decoded: {
      ok: true,
      kind: 'success',
      status: 200,
      data: { service_id: 12345, name: 'Juan Pérez' },
      action: 'client_found',
      requestId: 'req-7',
    },
  },
  {
    name: 'WispHub client not found',
    preset: 'wisphub',
    status: 404,
    text: '{"ok": false, "type": "error", "action": "client_not_found", "data": null, "message": "No se encontró un cliente con ese documento", "meta": null}',
    decoded: {
      ok: false,
      kind: 'error',
      status: 404,
      message: 'No se encontró un cliente con ese documento',
      issues: [],
      action: 'client_not_found',
    },
  },
  {
    name: 'WispHub zone ticket limit reached (info)',
    preset: 'backendResponse',
    status: 200,
    text: '{"ok": true, "type": "info", "action": "zone_ticket_limit_reached", "data": {"max_tickets": 3}, "message": null, "meta": null}',
    decoded: { ok: true, kind: 'info', status: 200, data: { max_tickets: 3 }, action: 'zone_ticket_limit_reached' },
  },
  {
    name: 'WispHub validation error',
    preset: 'backendResponse',
    status: 422,
    text: '{"ok": false, "type": "error", "action": "error", "data": null, "message": "Error de validación: service_id: field required", "meta": null}',
    decoded: {
      ok: false,
      kind: 'error',
      status: 422,
      message: 'Error de validación: service_id: field required',
      issues: [],
      action: 'error',
    },
  },
  {
    name: 'WispHub internal error',
    preset: 'backendResponse',
    status: 500,
    headers: HEADERS,
    text: '{"ok": false, "type": "error", "action": "error", "data": null, "message": "Ocurrió un error interno en el servidor.", "meta": null}',
    decoded: {
      ok: false,
      kind: 'error',
      status: 500,
      message: 'Ocurrió un error interno en el servidor.',
      issues: [],
      action: 'error',
      requestId: 'req-7',
    },
  },

  // WisPanel panel API.
  {
    name: 'WisPanel panel list with pagination meta',
    preset: 'wispanel',
    status: 200,
    text: '{"success": true, "data": [], "meta": {"total": 0, "per_page": 50, "current_page": 1, "last_page": 1}}',
    decoded: { ok: true, kind: 'success', status: 200, data: [], meta: { total: 0, per_page: 50, current_page: 1, last_page: 1 } },
  },
  {
    name: 'WisPanel panel created (201)',
    preset: 'wispanel',
    status: 201,
    text: '{"success": true, "data": {"id": 1}}',
    decoded: { ok: true, kind: 'success', status: 201, data: { id: 1 } },
  },
  {
    name: 'WisPanel panel 401 bad credentials',
    preset: 'wispanel',
    status: 401,
    text: '{ "success": false, "code": "UNAUTHORIZED",\n"error": "Invalid credentials", "message": "Invalid credentials",\n"status": 401 }',
    decoded: { ok: false, kind: 'error', status: 401, code: 'UNAUTHORIZED', message: 'Invalid credentials', issues: [] },
  },
  {
    name: 'WisPanel panel 400 missing fields',
    preset: 'wispanel',
    status: 400,
    text: '{ "success": false, "code": "VALIDATION_ERROR",\n"error": "Username and password are required",\n"message": "Username and password are required", "status": 400 }',
    decoded: { ok: false, kind: 'error', status: 400, code: 'VALIDATION_ERROR', message: 'Username and password are required', issues: [] },
  },
  {
    name: 'WisPanel panel 403',
    preset: 'wispanel',
    options: { variant: 'panel' },
    status: 403,
    text: '{ "success": false, "code": "FORBIDDEN",\n"error": "Cannot mint SSO for admin accounts",\n"message": "Cannot mint SSO for admin accounts", "status": 403 }',
    decoded: { ok: false, kind: 'error', status: 403, code: 'FORBIDDEN', message: 'Cannot mint SSO for admin accounts', issues: [] },
  },
  {
    name: 'WisPanel panel 401 no Authorization header',
    preset: 'wispanel',
    status: 401,
    text: '{ "success": false, "code": "UNAUTHORIZED",\n"error": "Missing authorization", "message": "Missing authorization",\n"status": 401 }',
    decoded: { ok: false, kind: 'error', status: 401, code: 'UNAUTHORIZED', message: 'Missing authorization', issues: [] },
  },
  {
    name: 'WisPanel lean webhook error',
    preset: 'wispanel',
    options: { variant: 'lean' },
    status: 400,
    text: '{"success": false, "error": "URL is required", "code": "VALIDATION_ERROR"}',
    decoded: { ok: false, kind: 'error', status: 400, code: 'VALIDATION_ERROR', message: 'URL is required', issues: [] },
  },
  // WisPanel portal admin / CMS.
  {
    name: 'WisPanel portal 422 with details',
    preset: 'wispanel',
    options: { variant: 'portal' },
    status: 422,
    text: '{ "success": false, "error": "Validation failed",\n"code": "VALIDATION_ERROR",\n"details": { "version": ["The version field is required."] } }',
    decoded: {
      ok: false,
      kind: 'error',
      status: 422,
      code: 'VALIDATION_ERROR',
      message: 'Validation failed',
      issues: [{ path: 'version', message: 'The version field is required.' }],
    },
  },
  {
    name: 'WisPanel portal 404',
    preset: 'wispanel',
    options: { variant: 'portal' },
    status: 404,
    text: '{ "success": false, "error": "Version not found", "code": "NOT_FOUND" }',
    decoded: { ok: false, kind: 'error', status: 404, code: 'NOT_FOUND', message: 'Version not found', issues: [] },
  },
  {
    name: 'WisPanel portal 401',
    preset: 'wispanel',
    options: { variant: 'portal' },
    status: 401,
    text: '{ "success": false, "error": "Invalid or missing API key",\n"code": "UNAUTHORIZED" }',
    decoded: { ok: false, kind: 'error', status: 401, code: 'UNAUTHORIZED', message: 'Invalid or missing API key', issues: [] },
  },
  // WisPanel portal license / download.
  {
    name: 'WisPanel license 422 with details',
    preset: 'wispanel',
    options: { variant: 'license' },
    status: 422,
    text: '{ "valid": false, "error": "Invalid request data",\n"code": "VALIDATION_ERROR",\n"details": { "hardware_id": ["The hardware id field must be 64 characters."] } }',
    decoded: {
      ok: false,
      kind: 'error',
      status: 422,
      code: 'VALIDATION_ERROR',
      message: 'Invalid request data',
      issues: [{ path: 'hardware_id', message: 'The hardware id field must be 64 characters.' }],
    },
  },
  {
    name: 'WisPanel download bare 401, no code',
    preset: 'wispanel',
    options: { variant: 'bare' },
    status: 401,
    headers: { 'Retry-After': '60' },
    text: '{ "error": "Invalid license" }',
    decoded: { ok: false, kind: 'error', status: 401, message: 'Invalid license', issues: [], retryAfter: 60 },
  },

  // eData WebServiceReturn: HTTP 200 even for business errors.
  {
    name: 'eData success',
    preset: 'webServiceReturn',
    status: 200,
    text: '{\n"WebServiceReturn": {\n"Status": "wrsSuccess",\n"ErrorCode": "",\n"Message": "",\n"Actor": "",\n"ReturnQuestion": null\n}\n}',
    decoded: { ok: true, kind: 'success', status: 200, data: {} },
  },
  {
    name: 'eData business error on HTTP 200',
    preset: 'webServiceReturn',
    status: 200,
    headers: HEADERS,
    text:
      '{\n"WebServiceReturn": {\n"Status": "wrsFailed",\n"ErrorCode": "WSR-004",\n"Message": "The provided parameter \\"GetCustomInfoParams.CustomInfoScriptName\\" is invalid!",\n' +
      '"Actor": "GetCustomInfo/GetCustomInfoCore/ValidateAndLoadQueryCustomParams",\n"ReturnQuestion": null\n},\n"CustomInfoResultList": null\n}',
    decoded: {
      ok: false,
      kind: 'error',
      status: 200,
      code: 'WSR-004',
      message: 'The provided parameter "GetCustomInfoParams.CustomInfoScriptName" is invalid!',
      issues: [],
      data: { CustomInfoResultList: null },
      requestId: 'req-7',
    },
  },

  // Universa common response: ids are long numbers (1...2^63).
  {
    name: 'Universa single object with a 2^63 − 1 id',
    preset: 'universa',
    status: 200,
    text: '{ "status": "OK", "SomeType": { "id": 9223372036854775807, "field1": "value1" } }',
    decoded: { ok: true, kind: 'success', status: 200, data: { SomeType: { id: 9223372036854775807n, field1: 'value1' } } },
  },
  {
    name: 'Universa array of objects',
    preset: 'universa',
    status: 200,
    text: '{"status":"OK","SomeTypes":[{"id":1,"field1":"value1"},{"id":9007199254740993,"field1":"value2"}]}',
    decoded: {
      ok: true,
      kind: 'success',
      status: 200,
      data: {
        SomeTypes: [
          { id: 1, field1: 'value1' },
          { id: 9007199254740993n, field1: 'value2' },
        ],
      },
    },
  },
  {
    name: 'Universa soft error on HTTP 200',
    preset: 'statusOk',
    status: 200,
    text: '{ "status": "error", "code": "some_error_code", "text": "error_text" }',
    decoded: { ok: false, kind: 'error', status: 200, code: 'some_error_code', message: 'error_text', issues: [] },
  },

  // VBAPI: the request id travels in the body as debug.activityId; pagination in X-Pagination.
  {
    name: 'VBAPI success with pagination',
    preset: 'vbapi',
    status: 200,
    headers: { 'X-Pagination': '{"TotalCount":1000,"TotalPages":10,"CurrentPage":0,"PageSize":100}', 'X-Request-Id': 'other-id' },
    text: `{\n    "data": [\n        { "id": 1, "name": "Example" }\n    ],\n    "error": null,\n    "debug": {\n        "activityId": "${ID}"\n    }\n}`,
    decoded: {
      ok: true,
      kind: 'success',
      status: 200,
      data: [{ id: 1, name: 'Example' }],
      meta: { TotalCount: 1000, TotalPages: 10, CurrentPage: 0, PageSize: 100 },
      requestId: ID,
    },
  },
  {
    name: 'VBAPI 404',
    preset: 'vbapi',
    status: 404,
    text:
      '{\n    "data": null,\n    "error": {\n        "type": "https://httpstatuses.com/404",\n        "title": "Not Found",\n        "status": 404,\n' +
      `        "detail": "The requested resource (xyz) was not found.",\n        "instance": "/clients/abc/products/xyz"\n    },\n    "debug": {\n        "activityId": "${ID}"\n    }\n}`,
    decoded: { ok: false, kind: 'error', status: 404, message: 'The requested resource (xyz) was not found.', issues: [], requestId: ID },
  },
];

test.each(EXAMPLES)('$name', ({ preset, options, status, headers, text, decoded }) => {
  expect(decodeText(preset, status, text, headers, options)).toStrictEqual(decoded);
});
