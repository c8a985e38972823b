// The client's edges: refusals (ERR_ENVELOPE_DECODE, never ok: true), exact big integers, headers,
// empty bodies, unwrap(), envelopeFetch() with a given fetch, and mistakes in the calling code.

import { type Outcome, defineFormat } from '../../index';
import * as core from '../../client/core';
import { PRESET_NAMES, resolveFormat } from '../../lib/registry';
import { serialize } from '../../lib/serialize';
import { EnvelopeDecodeError, EnvelopeResponseError, decode, decodeText, envelopeFetch, unwrap } from '../../client';
import type { ClientPreset, Decoded, DecodeOptions } from '../../client';

const ctx = { requestId: 'req-1', instance: '/x', debug: false };

/** Every preset and variant, as [label, preset, options]. */
const ALL: [string, ClientPreset, DecodeOptions | undefined][] = [
  ['vbapi', 'vbapi', undefined],
  ['backendResponse', 'backendResponse', undefined],
  ['wispanel', 'wispanel', undefined],
  ['wispanel:portal', 'wispanel', { variant: 'portal' }],
  ['wispanel:license', 'wispanel', { variant: 'license' }],
  ['wispanel:lean', 'wispanel', { variant: 'lean' }],
  ['wispanel:bare', 'wispanel', { variant: 'bare' }],
  ['webServiceReturn', 'webServiceReturn', undefined],
  ['statusOk', 'statusOk', undefined],
  ['jsend', 'jsend', undefined],
  ['problem', 'problem', undefined],
];

function render(preset: ClientPreset, options: DecodeOptions | undefined, outcome: Outcome): { status: number; text: string } {
  const rendered = resolveFormat(preset, options ? { ...options } : {}).render(outcome, ctx);
  return { status: rendered.status, text: serialize(rendered.body) };
}

/** The error decodeText throws, or a failure of the test when it throws none. */
function refusal(fn: () => unknown): EnvelopeDecodeError {
  let result: unknown;
  try {
    result = fn();
  } catch (error) {
    expect(error).toBeInstanceOf(EnvelopeDecodeError);
    return error as EnvelopeDecodeError;
  }
  throw new Error(`expected a refusal, got ${JSON.stringify(result, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))}`);
}

const PREFIX = 'express-envelope/client: the ';

describe('refusals with ERR_ENVELOPE_DECODE', () => {
  const PROXY_502 =
    '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

  test.each(ALL)('%s: an HTML 502 from a proxy', (label, preset, options) => {
    const error = refusal(() => decodeText(preset, 502, PROXY_502, { 'content-type': 'text/html' }, options));
    expect({ code: error.code, status: error.status, preset: error.preset, name: error.name }).toEqual({
      code: 'ERR_ENVELOPE_DECODE',
      status: 502,
      preset: label,
      name: 'EnvelopeDecodeError',
    });
    expect(error.reason).toBe('the body is not JSON: "<html> <head><title>502 Bad Gateway</ti…"');
    expect(error.message).toBe(`${PREFIX}${label} body of an HTTP 502 response does not fit: ${error.reason}`);
    expect(error.cause).toBeInstanceOf(SyntaxError);
  });

  const OUTCOMES: [string, Outcome][] = [
    ['success', { kind: 'success', status: 200, data: { id: 9223372036854775807n, name: 'Example' } }],
    ['error', { kind: 'error', status: 404, message: 'Client not found', hard: false, validation: false }],
  ];

  test.each(ALL.flatMap(([label, preset, options]) => OUTCOMES.map(([kind, o]) => [label, kind, preset, options, o] as const)))(
    '%s %s: truncated JSON, at every length',
    (_label, _kind, preset, options, outcome) => {
      const { status, text } = render(preset, options, outcome);
      for (let length = 1; length < text.length; length++) {
        const cut = text.slice(0, length);
        // A cut that is itself whole JSON (a bare payload's prefix like "1") is not truncation.
        let whole = true;
        try {
          JSON.parse(cut);
        } catch {
          whole = false;
        }
        if (whole) continue;
        const error = refusal(() => decodeText(preset, status, cut, undefined, options));
        expect(error.reason).toMatch(/^the body is not JSON: /);
      }
    },
  );

  const FOREIGN: [string, ClientPreset, DecodeOptions | undefined, number, string, string][] = [
    [
      'a vbapi body read as jsend',
      'jsend',
      undefined,
      200,
      '{"data":{"id":1},"error":null,"debug":{"activityId":"x"}}',
      '"status" must be "success", "fail" or "error"',
    ],
    [
      'a jsend body read as vbapi',
      'vbapi',
      undefined,
      200,
      '{"status":"success","data":{"id":1}}',
      'expected the keys data, error and debug',
    ],
    [
      'a problem body read as backendResponse',
      'backendResponse',
      undefined,
      404,
      '{"type":"about:blank","title":"Not Found","status":404,"detail":"Not Found","instance":"/x"}',
      '"ok" must be a boolean, got nothing',
    ],
    [
      'a backendResponse body read as statusOk',
      'statusOk',
      undefined,
      200,
      '{"ok":true,"type":"success","action":"success","data":1,"message":null,"meta":null}',
      '"status" must be "OK" or "error"',
    ],
    [
      'a statusOk body read as webServiceReturn',
      'webServiceReturn',
      undefined,
      200,
      '{"status":"OK","id":1}',
      'expected an object with WebServiceReturn: Status, ErrorCode, Message, Actor and ReturnQuestion, got nothing',
    ],
    [
      'a webServiceReturn body read as wispanel',
      'wispanel',
      undefined,
      200,
      '{"WebServiceReturn":{"Status":"wrsSuccess","ErrorCode":"","Message":"","Actor":"","ReturnQuestion":null}}',
      '"success" must be a boolean, got nothing',
    ],
    [
      'a wispanel body read as the license variant',
      'wispanel',
      { variant: 'license' },
      200,
      '{"success":true,"data":{"id":1}}',
      '"valid" must be a boolean, got nothing',
    ],
    [
      'a jsend fail read as problem',
      'problem',
      undefined,
      404,
      '{"status":"fail","data":{"message":"Not Found"}}',
      'expected a problem details object with "title" or "detail"',
    ],
    [
      'an Express default JSON error read as problem',
      'problem',
      undefined,
      500,
      '{"message":"Internal Server Error"}',
      'expected a problem details object with "title" or "detail"',
    ],
    [
      'a vbapi error read as bare',
      'wispanel',
      { variant: 'bare' },
      404,
      '{"data":null,"error":{"detail":"x"},"debug":{"activityId":"x"}}',
      '"error" must be a string, got a object',
    ],
    [
      'a vbapi success read as statusOk',
      'universa',
      undefined,
      200,
      '{"data":{"status":"OK"},"error":null,"debug":{"activityId":"x"}}',
      '"status" must be "OK" or "error"',
    ],
  ];

  test.each(FOREIGN)('a foreign envelope: %s', (_name, preset, options, status, text, reason) => {
    const error = refusal(() => decodeText(preset, status, text, undefined, options));
    expect(error.reason).toBe(reason);
    expect(error.status).toBe(status);
  });

  const WRONG: [string, ClientPreset, DecodeOptions | undefined, number, string, string][] = [
    [
      'vbapi detail a number',
      'vbapi',
      undefined,
      404,
      '{"data":null,"error":{"type":"t","title":"Not Found","status":404,"detail":42,"instance":"/x"},"debug":{"activityId":"x"}}',
      '"detail" must be a string, got a number',
    ],
    [
      'vbapi error.status a string',
      'vbapi',
      undefined,
      404,
      '{"data":null,"error":{"detail":"x","status":"404"},"debug":{"activityId":"x"}}',
      '"error.status" must be a number',
    ],
    [
      'vbapi error a string',
      'vbapi',
      undefined,
      500,
      '{"data":null,"error":"boom","debug":{"activityId":"x"}}',
      'expected an object with type, title, status, detail and instance, got a string',
    ],
    ['vbapi without activityId', 'vbapi', undefined, 200, '{"data":1,"error":null,"debug":{}}', '"debug.activityId" must be a string'],
    [
      'backendResponse ok a string',
      'backendResponse',
      undefined,
      200,
      '{"ok":"true","type":"success","action":"a","data":1,"message":null,"meta":null}',
      '"ok" must be a boolean, got a string',
    ],
    [
      'backendResponse ok and type disagree',
      'wisphub',
      undefined,
      200,
      '{"ok":true,"type":"error","action":"a","data":null,"message":"m","meta":null}',
      '"ok" is true but "type" is "error"',
    ],
    [
      'backendResponse unknown type',
      'wisphub',
      undefined,
      200,
      '{"ok":true,"type":"warning","action":"a","data":null,"message":"m","meta":null}',
      '"type" must be "success", "info" or "error"',
    ],
    [
      'backendResponse message a number',
      'wisphub',
      undefined,
      200,
      '{"ok":true,"type":"success","action":"a","data":null,"message":1,"meta":null}',
      '"message" must be a string or null',
    ],
    [
      'backendResponse meta an array',
      'wisphub',
      undefined,
      200,
      '{"ok":true,"type":"success","action":"a","data":null,"message":null,"meta":[]}',
      '"meta" must be an object or null',
    ],
    [
      'backendResponse without data',
      'wisphub',
      undefined,
      200,
      '{"ok":true,"type":"success","action":"a","message":null,"meta":null}',
      'expected the key data',
    ],
    ['wispanel success a string', 'wispanel', undefined, 200, '{"success":"yes","data":1}', '"success" must be a boolean, got a string'],
    ['wispanel without data', 'wispanel', undefined, 200, '{"success":true}', 'expected the key data'],
    ['wispanel meta a string', 'wispanel', undefined, 200, '{"success":true,"data":1,"meta":"x"}', '"meta" must be an object'],
    [
      'wispanel code missing',
      'wispanel',
      { variant: 'lean' },
      400,
      '{"success":false,"error":"x"}',
      '"code" must be a string, got nothing',
    ],
    [
      'wispanel details a list',
      'wispanel',
      { variant: 'portal' },
      422,
      '{"success":false,"error":"x","code":"C","details":["a"]}',
      '"details" must be an object',
    ],
    [
      'wispanel details of numbers',
      'wispanel',
      { variant: 'portal' },
      422,
      '{"success":false,"error":"x","code":"C","details":{"a":[1]}}',
      '"details.a" must be a string or a list of strings',
    ],
    [
      'webServiceReturn unknown Status',
      'webServiceReturn',
      undefined,
      200,
      '{"WebServiceReturn":{"Status":"wrsMaybe","ErrorCode":"","Message":"","Actor":"","ReturnQuestion":null}}',
      '"WebServiceReturn.Status" must be "wrsSuccess" or "wrsFailed"',
    ],
    [
      'webServiceReturn ErrorCode a number',
      'webServiceReturn',
      undefined,
      200,
      '{"WebServiceReturn":{"Status":"wrsFailed","ErrorCode":4,"Message":"","Actor":"","ReturnQuestion":null}}',
      '"ErrorCode" must be a string, got a number',
    ],
    ['statusOk lower-case ok', 'statusOk', undefined, 200, '{"status":"ok"}', '"status" must be "OK" or "error"'],
    ['statusOk error without code', 'statusOk', undefined, 200, '{"status":"error","text":"t"}', '"code" must be a string, got nothing'],
    [
      'statusOk error text a number',
      'statusOk',
      undefined,
      200,
      '{"status":"error","code":"c","text":1}',
      '"text" must be a string, got a number',
    ],
    ['statusOk an array', 'statusOk', undefined, 200, '[{"status":"OK"}]', 'expected an object with the key status, got an array'],
    [
      'jsend fail data a string',
      'jsend',
      undefined,
      400,
      '{"status":"fail","data":"bad"}',
      '"data" of a fail must be an object, got a string',
    ],
    ['jsend error without message', 'jsend', undefined, 500, '{"status":"error"}', '"message" must be a string, got nothing'],
    ['jsend success without data', 'jsend', undefined, 200, '{"status":"success"}', 'expected the key data'],
    ['problem status a string', 'problem', undefined, 400, '{"title":"Bad Request","status":"400"}', '"status" must be a number'],
    ['problem errors an object', 'problem', undefined, 400, '{"title":"Bad Request","errors":{}}', '"errors" must be an array'],
    [
      'problem errors item without detail',
      'problem',
      undefined,
      400,
      '{"title":"Bad Request","errors":[{"pointer":"#/a"}]}',
      '"detail" must be a string, got nothing',
    ],
    [
      'problem pointer with a bad escape',
      'problem',
      undefined,
      400,
      '{"title":"Bad Request","errors":[{"detail":"d","pointer":"#/%E0%A4%A"}]}',
      '"errors[].pointer" is not a valid URI fragment: #/%E0%A4%A',
    ],
    ['null body', 'jsend', undefined, 200, 'null', 'expected an object with status and data, got null'],
    ['an empty body where an envelope is due', 'vbapi', undefined, 200, '', 'expected an object with data, error and debug, got nothing'],
  ];

  test.each(WRONG)('wrong types: %s', (_name, preset, options, status, text, reason) => {
    expect(refusal(() => decodeText(preset, status, text, undefined, options)).reason).toBe(reason);
  });

  // A body rendered by one preset and read with another is refused (or read as a failure), never a
  // success — but where the other preset sends a success body unchanged (problem, wispanel bare).
  const FAMILY: Record<string, string> = { wispanel: 'panel', 'wispanel:portal': 'panel', 'wispanel:lean': 'panel' };
  const samples: Outcome[] = [
    { kind: 'success', status: 200, data: { id: 1, name: 'Example' } },
    { kind: 'success', status: 201, data: [1, 2] },
    { kind: 'info', status: 200, data: { max_tickets: 3 }, action: 'zone_ticket_limit_reached' },
    { kind: 'error', status: 404, message: 'Client not found', hard: false, validation: false },
    { kind: 'error', status: 422, message: 'Invalid', hard: false, validation: true, details: [{ path: 'name', message: 'Required' }] },
    { kind: 'error', status: 500, message: 'Internal Server Error', hard: true, validation: false },
  ];
  test.each(ALL)('bodies of every other preset read as %s are never a success it does not recognise', (label, preset, options) => {
    const seen: string[] = [];
    for (const [otherLabel, other, otherOptions] of ALL) {
      if (otherLabel === label || (FAMILY[otherLabel] ?? otherLabel) === (FAMILY[label] ?? label)) continue;
      for (const outcome of samples) {
        const { status, text } = render(other, otherOptions, outcome);
        let decoded: Decoded | undefined;
        try {
          decoded = decodeText(preset, status, text, undefined, options);
        } catch (error) {
          expect(error).toBeInstanceOf(EnvelopeDecodeError);
        }
        const lenient = (preset === 'problem' || label === 'wispanel:bare') && status < 400;
        if (decoded?.ok && !lenient) seen.push(`${otherLabel} ${outcome.kind} ${status}`);
      }
    }
    expect(seen).toEqual([]);
  });
});

describe('exact big integers', () => {
  test('Universa id 2^63 − 1 round-trips as BigInt through the real format', () => {
    const { status, text } = render('universa', undefined, {
      kind: 'success',
      status: 200,
      data: { Client: { id: 9223372036854775807n, name: 'Example' }, ids: [9223372036854775807n, -9223372036854775808n, 1n] },
    });
    expect(text).toBe(
      '{"status":"OK","Client":{"id":9223372036854775807,"name":"Example"},"ids":[9223372036854775807,-9223372036854775808,1]}',
    );
    expect(JSON.parse(text).Client.id).toBe(9223372036854775808); // what JSON.parse alone gives: off by one
    expect(decodeText('universa', status, text)).toStrictEqual({
      ok: true,
      kind: 'success',
      status: 200,
      data: { Client: { id: 9223372036854775807n, name: 'Example' }, ids: [9223372036854775807n, -9223372036854775808n, 1] },
    });
  });

  test.each([
    ['the largest safe integer stays a number', '9007199254740991', 9007199254740991],
    ['2^53 is beyond the safe range', '9007199254740992', 9007199254740992n],
    ['2^53 + 1', '9007199254740993', 9007199254740993n],
    ['a negative one', '-9007199254740993', -9007199254740993n],
    ['16 safe digits stay a number', '1234567890123456', 1234567890123456],
    ['a fraction stays a number', '1.2345678901234567', Number('1.2345678901234567')],
    ['an exponent stays a number', '12345678901234567e2', 1234567890123456800],
    ['long digits inside a string stay a string', '"12345678901234567890"', '12345678901234567890'],
    ['an escaped string on the exact path', '["\\"q\\" \\u00e9 \\\\", 12345678901234567890]', ['"q" é \\', 12345678901234567890n]],
    [
      'nested, with literals and spaces',
      ' { "a" : [ true , false , null , { } , [ ] ] , "b" : 12345678901234567890 } ',
      { a: [true, false, null, {}, []], b: 12345678901234567890n },
    ],
    ['-0', '[-0, 12345678901234567890]', [-0, 12345678901234567890n]],
  ])('%s', (_name, json, data) => {
    expect(decodeText('jsend', 200, `{"status":"success","data":${json}}`)).toStrictEqual({ ok: true, kind: 'success', status: 200, data });
  });

  test('an own __proto__ key stays a key, on the common, exact and split paths', () => {
    for (const id of ['1', '12345678901234567890']) {
      const text = `{"status":"OK","__proto__":{"polluted":true},"id":${id}}`;
      const decoded = decodeText('statusOk', 200, text) as { data: Record<string, unknown> };
      expect(Object.getPrototypeOf(decoded.data)).toBe(Object.prototype);
      expect(Object.keys(decoded.data)).toEqual(['__proto__', 'id']);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      const viaBody = decodeText('jsend', 200, `{"status":"success","data":{"__proto__":{"polluted":true},"id":${id}}}`) as {
        data: Record<string, unknown>;
      };
      expect(Object.keys(viaBody.data)).toEqual(['__proto__', 'id']);
    }
  });

  test('a spreading body written with spaces, another key first, or its key twice, is read the common way', () => {
    const expected = { ok: true, kind: 'success', status: 200, data: { id: 12345678901234567890n } };
    expect(decodeText('statusOk', 200, '{ "status": "OK", "id": 12345678901234567890 }')).toStrictEqual(expected);
    expect(decodeText('statusOk', 200, '{"id":12345678901234567890,"status":"OK"}')).toStrictEqual(expected);
    // JSON.parse keeps the last of a repeated key; so does the decoder.
    expect(decodeText('statusOk', 200, '{"status":"OK","id":1,"status":"error","code":"c","text":"t"}')).toStrictEqual({
      ok: false,
      kind: 'error',
      status: 200,
      code: 'c',
      message: 't',
      issues: [],
      data: { id: 1 },
    });
    expect(decodeText('statusOk', 200, '{"status":"OK"}')).toStrictEqual({ ok: true, kind: 'success', status: 200, data: {} });
    expect(decodeText('statusOk', 200, '{"status":"OK"} ')).toStrictEqual({ ok: true, kind: 'success', status: 200, data: {} });
    // A WebServiceReturn head that is not the common one is parsed on its own.
    expect(
      decodeText(
        'webServiceReturn',
        200,
        '{"WebServiceReturn":{"Status":"wrsSuccess","ErrorCode":"","Message":"Done, {ok} [1]","Actor":"a\\"b","ReturnQuestion":[{"q":1}]},"Id":12345678901234567890}',
      ),
    ).toStrictEqual({ ok: true, kind: 'success', status: 200, data: { Id: 12345678901234567890n }, message: 'Done, {ok} [1]' });
    for (const bad of [
      '{"status":"OK",}',
      '{"status":"OK"x,"a":1}',
      '{"status":"OK","a":1',
      '{"status":"OK"}}',
      '{"status":"OK" , "a":1',
    ]) {
      expect(refusal(() => decodeText('statusOk', 200, bad)).reason).toMatch(/^the body is not JSON: /);
    }
  });
});

describe('headers, empty bodies and the other fields', () => {
  test('request id and Retry-After from a fetch Headers, a Node record, any letter case, a list', () => {
    const failure = '{"status":"fail","data":{"message":"Slow down"}}';
    const expected = { ok: false, kind: 'error', status: 429, message: 'Slow down', issues: [], requestId: 'id-1', retryAfter: 30 };
    expect(decodeText('jsend', 429, failure, new Headers({ 'X-Request-Id': 'id-1', 'Retry-After': '30' }))).toStrictEqual(expected);
    expect(decodeText('jsend', 429, failure, { 'x-request-id': 'id-1', 'retry-after': '30' })).toStrictEqual(expected);
    expect(decodeText('jsend', 429, failure, { 'X-REQUEST-ID': 'id-1', 'Retry-after': 30 })).toStrictEqual(expected);
    expect(decodeText('jsend', 429, failure, { 'x-request-id': ['id-1', 'id-2'], 'retry-after': ' 30 ' })).toStrictEqual(expected);
    expect(decodeText('jsend', 429, failure, { 'x-request-id': undefined })).toStrictEqual({
      ok: false,
      kind: 'error',
      status: 429,
      message: 'Slow down',
      issues: [],
    });
  });

  test('Retry-After as an HTTP date is the seconds left, never negative; garbage is ignored', () => {
    const failure = '{"status":"fail","data":{"message":"Slow down"}}';
    const inAMinute = new Date(Date.now() + 60_500).toUTCString();
    const after = (value: string): number | undefined =>
      (decodeText('jsend', 429, failure, { 'retry-after': value }) as { retryAfter?: number }).retryAfter;
    expect(after(inAMinute)).toBeGreaterThanOrEqual(59);
    expect(after(inAMinute)).toBeLessThanOrEqual(61);
    expect(after('Thu, 01 Jan 1970 00:00:00 GMT')).toBe(0);
    expect(after('soon')).toBeUndefined();
    // Successes carry no retryAfter.
    expect(decodeText('jsend', 200, '{"status":"success","data":null}', { 'retry-after': '5' })).toStrictEqual({
      ok: true,
      kind: 'success',
      status: 200,
      data: null,
    });
  });

  test('requestIdHeader names another header; a body slot wins over any header', () => {
    expect(
      decodeText(
        'jsend',
        200,
        '{"status":"success","data":1}',
        { 'X-Correlation-Id': 'c-1', 'X-Request-Id': 'r-1' },
        { requestIdHeader: 'X-Correlation-Id' },
      ),
    ).toStrictEqual({
      ok: true,
      kind: 'success',
      status: 200,
      data: 1,
      requestId: 'c-1',
    });
    expect(
      decodeText('vbapi', 200, '{"data":1,"error":null,"debug":{"activityId":"body-id"}}', {
        'X-Request-Id': 'header-id',
        'X-Pagination': 'not json',
      }),
    ).toStrictEqual({
      ok: true,
      kind: 'success',
      status: 200,
      data: 1,
      requestId: 'body-id',
    });
    expect(decodeText('vbapi', 200, '{"data":1,"error":null,"debug":{"activityId":"b"}}', { 'X-Pagination': '[1]' })).toStrictEqual({
      ok: true,
      kind: 'success',
      status: 200,
      data: 1,
      requestId: 'b',
    });
  });

  test.each(ALL)('%s: 204, 205 and 304 without a body are successes with no data', (_label, preset, options) => {
    for (const status of [204, 205, 304]) {
      expect(decodeText(preset, status, '', { 'x-request-id': 'r' }, options)).toStrictEqual({
        ok: true,
        kind: 'success',
        status,
        data: undefined,
        requestId: 'r',
      });
    }
  });

  test('problem and wispanel bare: an empty success body is no data; an empty error body is refused', () => {
    expect(decodeText('problem', 200, '')).toStrictEqual({ ok: true, kind: 'success', status: 200, data: undefined });
    expect(decodeText('wispanel', 200, '', undefined, { variant: 'bare' })).toStrictEqual({
      ok: true,
      kind: 'success',
      status: 200,
      data: undefined,
    });
    expect(refusal(() => decodeText('problem', 500, '')).reason).toBe(
      'expected an object with type, title, status, detail and instance, got nothing',
    );
  });

  test('problem: code from code, else a type that is not about:blank; pointers back to dotted paths', () => {
    const text = JSON.stringify({
      type: 'https://example.com/probs/out-of-credit',
      title: 'Bad Request',
      status: 400,
      detail: 'Invalid',
      instance: '/x',
      errors: [
        { detail: 'whole', pointer: '#/' },
        { detail: 'nested', pointer: '#/items/0/a~1b~0c%20d' },
        { detail: 'plain pointer', pointer: '/user/name' },
        { detail: 'no pointer' },
      ],
    });
    expect(decodeText('problem', 400, text)).toStrictEqual({
      ok: false,
      kind: 'error',
      status: 400,
      code: 'https://example.com/probs/out-of-credit',
      message: 'Invalid',
      issues: [
        { path: '', message: 'whole' },
        { path: 'items.0.a/b~c d', message: 'nested' },
        { path: 'user.name', message: 'plain pointer' },
        { path: '', message: 'no pointer' },
      ],
    });
    expect(decodeText('problem', 409, '{"type":"about:blank","title":"Conflict","code":"E_DUP"}')).toStrictEqual({
      ok: false,
      kind: 'error',
      status: 409,
      code: 'E_DUP',
      message: 'Conflict',
      issues: [],
    });
    expect(decodeText('problem', 409, '{"type":"about:blank","title":"Conflict"}')).toStrictEqual({
      ok: false,
      kind: 'error',
      status: 409,
      message: 'Conflict',
      issues: [],
    });
  });

  test('jsend: fail field maps become issues; error keeps code and data', () => {
    expect(decodeText('jsend', 400, '{"status":"fail","data":{"name":"Required","tags":["Too many","Unknown tag"]}}')).toStrictEqual({
      ok: false,
      kind: 'error',
      status: 400,
      message: 'name: Required; tags: Too many; tags: Unknown tag',
      issues: [
        { path: 'name', message: 'Required' },
        { path: 'tags', message: 'Too many' },
        { path: 'tags', message: 'Unknown tag' },
      ],
    });
    expect(decodeText('jsend', 400, '{"status":"fail","data":{}}')).toStrictEqual({
      ok: false,
      kind: 'error',
      status: 400,
      message: 'Validation failed',
      issues: [],
    });
    expect(decodeText('jsend', 503, '{"status":"error","message":"Down","code":"E_DOWN","data":{"until":"noon"}}')).toStrictEqual({
      ok: false,
      kind: 'error',
      status: 503,
      code: 'E_DOWN',
      message: 'Down',
      issues: [],
      data: { until: 'noon' },
    });
  });

  test('decode() reads a body parsed elsewhere, with the same rules', () => {
    const body = { WebServiceReturn: { Status: 'wrsFailed', ErrorCode: 'ARW-001', Message: 'No', Actor: 'x', ReturnQuestion: null } };
    expect(decode('webServiceReturn', { status: 200, headers: new Headers({ 'x-request-id': 'h' }), body })).toStrictEqual({
      ok: false,
      kind: 'error',
      status: 200,
      code: 'ARW-001',
      message: 'No',
      issues: [],
      requestId: 'h',
    });
    expect(decode('universa', { status: 200, body: { status: 'OK', list: [1] } })).toStrictEqual({
      ok: true,
      kind: 'success',
      status: 200,
      data: { list: [1] },
    });
    expect(decode('wispanel', { status: 201, body: { valid: true, key: 'k' } }, { variant: 'license' })).toStrictEqual({
      ok: true,
      kind: 'success',
      status: 201,
      data: { key: 'k' },
    });
    expect(decode('problem', { status: 204, body: undefined })).toStrictEqual({ ok: true, kind: 'success', status: 204, data: undefined });
  });
});

describe('unwrap()', () => {
  test('returns the data of a success', () => {
    expect(unwrap(decodeText<{ id: bigint }>('universa', 200, '{"status":"OK","id":9223372036854775807}'))).toStrictEqual({
      id: 9223372036854775807n,
    });
  });

  test('throws EnvelopeResponseError with everything the failure said', () => {
    const failure = decodeText(
      'wispanel',
      422,
      '{"success":false,"error":"Validation failed","code":"VALIDATION_ERROR","details":{"version":["Required"]}}',
      {
        'x-request-id': 'r-9',
        'retry-after': '3',
      },
      { variant: 'portal' },
    );
    let thrown: unknown;
    try {
      unwrap(failure);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(EnvelopeResponseError);
    const error = thrown as EnvelopeResponseError;
    expect({ ...error, name: error.name, message: error.message }).toStrictEqual({
      name: 'EnvelopeResponseError',
      message: 'Validation failed',
      status: 422,
      code: 'VALIDATION_ERROR',
      issues: [{ path: 'version', message: 'Required' }],
      requestId: 'r-9',
      retryAfter: 3,
      data: undefined,
      action: undefined,
    });
  });
});

describe('envelopeFetch() with a given fetch', () => {
  test('calls it with the arguments as given and decodes the text', async () => {
    const calls: unknown[][] = [];
    const fake = async (...args: unknown[]) => {
      calls.push(args);
      return new Response('{"status":"OK","id":9223372036854775807}', { status: 200, headers: { 'X-Request-Id': 'f-1' } });
    };
    const api = envelopeFetch('universa', { fetch: fake });
    const init = { method: 'POST', body: '{}' };
    await expect(api('https://api.example/clients', init)).resolves.toStrictEqual({
      ok: true,
      kind: 'success',
      status: 200,
      data: { id: 9223372036854775807n },
      requestId: 'f-1',
    });
    expect(calls).toEqual([['https://api.example/clients', init]]);
  });

  test('rejects with EnvelopeDecodeError for a body that does not fit, and passes network errors through', async () => {
    const html = envelopeFetch('jsend', { fetch: async () => new Response('<h1>Bad Gateway</h1>', { status: 502 }) });
    await expect(html('/x')).rejects.toMatchObject({
      code: 'ERR_ENVELOPE_DECODE',
      status: 502,
      reason: 'the body is not JSON: "<h1>Bad Gateway</h1>"',
    });
    const down = envelopeFetch('jsend', {
      fetch: async () => {
        throw new TypeError('fetch failed');
      },
    });
    await expect(down('/x')).rejects.toThrow(new TypeError('fetch failed'));
  });

  test('uses the global fetch by default, and says so when there is none', async () => {
    const original = globalThis.fetch;
    try {
      globalThis.fetch = (async () => new Response('{"status":"success","data":1}')) as typeof fetch;
      await expect(envelopeFetch('jsend')('/x')).resolves.toStrictEqual({ ok: true, kind: 'success', status: 200, data: 1 });
      (globalThis as { fetch?: unknown }).fetch = undefined;
      await expect(envelopeFetch('jsend')('/x')).rejects.toMatchObject({
        name: 'TypeError',
        code: 'ERR_ENVELOPE_INVALID_OPTION',
        message: 'express-envelope/client: no global fetch here; pass one as the option "fetch"',
      });
    } finally {
      globalThis.fetch = original;
    }
  });
});

describe('mistakes in the calling code throw a TypeError with a stable code', () => {
  test.each([
    [
      'an unknown preset',
      () => decodeText('vbapii' as ClientPreset, 200, '{}'),
      'ERR_ENVELOPE_UNKNOWN_FORMAT',
      `express-envelope/client: unknown preset "vbapii"; use one of ${PRESET_NAMES.join(', ')}, or a format`,
    ],
    [
      'an unknown option',
      () => decode('jsend', { status: 200, body: {} }, { varient: 'x' } as DecodeOptions),
      'ERR_ENVELOPE_UNKNOWN_OPTION',
      'express-envelope/client: unknown option "varient"; known options are variant, requestIdHeader',
    ],
    [
      'variant on another preset',
      () => envelopeFetch('vbapi', { variant: 'portal' }),
      'ERR_ENVELOPE_UNKNOWN_OPTION',
      'express-envelope/client: the option "variant" belongs to the wispanel preset only, not vbapi',
    ],
    [
      'an unknown variant',
      () => decodeText('wispanel', 200, '{}', undefined, { variant: 'dashboard' as 'panel' }),
      'ERR_ENVELOPE_INVALID_OPTION',
      'express-envelope/client: wispanel: variant must be one of panel, portal, license, lean, bare; got "dashboard"',
    ],
    [
      'a status that is not an integer',
      () => decode('jsend', { status: '200' as unknown as number, body: {} }),
      'ERR_ENVELOPE_INVALID_OPTION',
      'express-envelope/client: the response status must be an integer, got "200"',
    ],
    [
      'a text that is not a string',
      () => decodeText('jsend', 200, { status: 'success' } as unknown as string),
      'ERR_ENVELOPE_INVALID_OPTION',
      'express-envelope/client: the response text must be a string, got object',
    ],
    [
      'a fetch that is not a function',
      () => envelopeFetch('jsend', { fetch: 'fetch' as never }),
      'ERR_ENVELOPE_INVALID_OPTION',
      'express-envelope/client: the option "fetch" must be a function',
    ],
  ])('%s', (_name, fn, code, message) => {
    expect(fn).toThrow(TypeError);
    expect(fn).toThrow(expect.objectContaining({ code, message }));
  });
});

describe('bodies that are no body, responses that are no response, and deep JSON', () => {
  test.each(ALL)('%s: an empty 204/205/304 is no body, as "", undefined or null', (_name, preset, options) => {
    for (const status of [204, 205, 304]) {
      for (const body of ['', undefined, null]) {
        expect(decode(preset, { status, body }, options)).toStrictEqual({ ok: true, kind: 'success', status, data: undefined });
      }
      expect(decodeText(preset, status, '', undefined, options)).toStrictEqual({ ok: true, kind: 'success', status, data: undefined });
    }
  });

  test.each(ALL)('%s: status 0 (a network error, an opaque response) is never a success', (_name, preset, options) => {
    const reason = 'HTTP status 0 is no response to read (a network error or an opaque response)';
    for (const body of [undefined, '', null, {}]) {
      const error = refusal(() => unwrap(decode(preset, { status: 0, body }, options)));
      expect([error.status, error.reason]).toEqual([0, reason]);
    }
    expect(refusal(() => unwrap(decodeText(preset, 0, '', undefined, options))).reason).toBe(reason);
    expect(refusal(() => unwrap(decodeText(preset, 0, '{"status":"OK","valid":true}', undefined, options))).reason).toBe(reason);
  });

  test('JSON nested far deeper than 7,000 levels with a 16-digit run reads as JSON.parse does, the big integer exact', () => {
    const depth = 100_000;
    const text = `{"status":"OK","result":${'['.repeat(depth)}12345678901234567890,{"id":9007199254740993}${']'.repeat(depth)}}`;
    const result = decodeText('statusOk', 200, text);
    let level: unknown = result.ok ? result.data : undefined;
    for (let i = 1; i < depth; i++) {
      expect(Array.isArray(level) && level.length === 1).toBe(true);
      level = (level as unknown[])[0];
    }
    expect(level).toStrictEqual([12345678901234567890n, { id: 9007199254740993n }]);
    // The same depth under objects, through the common path (no split: the payload is the whole body).
    const objects = `${'{"a":'.repeat(depth)}[1234567890123456789]${'}'.repeat(depth)}`;
    let node: unknown = decodeText('problem', 200, objects);
    node = (node as { data: unknown }).data;
    for (let i = 0; i < depth; i++) node = (node as { a: unknown }).a;
    expect(node).toStrictEqual([1234567890123456789n]);
  });
});

describe('a spreading preset sends an array or a scalar under its slot, and decodes it from there', () => {
  const SLOTS: [string, ClientPreset, DecodeOptions | undefined, string][] = [
    ['statusOk', 'statusOk', undefined, 'result'],
    ['webServiceReturn', 'webServiceReturn', undefined, 'Data'],
    ['wispanel:license', 'wispanel', { variant: 'license' }, 'data'],
  ];
  test.each(SLOTS)('%s: an array or a scalar payload, under its slot', (_name, preset, options, slot) => {
    for (const data of [[{ id: 1 }, { id: 2 }], [], 'text', 0, false, null, 9223372036854775807n]) {
      const { status, text } = render(preset, options, { kind: 'success', status: 200, data });
      expect(JSON.parse(text)).toHaveProperty([slot]);
      const decoded = decodeText(preset, status, text, undefined, options);
      expect(decoded).toStrictEqual({ ok: true, kind: 'success', status: 200, data });
      expect(decode(preset, { status, body: JSON.parse(text) }, options).data).toStrictEqual(
        typeof data === 'bigint' ? Number(data) : data,
      );
    }
    // An object payload keeps its keys, the slot's name among them when it holds an object.
    const nested = { [slot]: { id: 1 } };
    expect(
      decodeText(preset, 200, render(preset, options, { kind: 'success', status: 200, data: nested }).text, undefined, options).data,
    ).toStrictEqual(nested);
    expect(
      decodeText(
        preset,
        200,
        render(preset, options, { kind: 'success', status: 200, data: { [slot]: [1], more: 2 } }).text,
        undefined,
        options,
      ).data,
    ).toStrictEqual({ [slot]: [1], more: 2 });
  });
});

describe('formats: decode(), decodeText() and envelopeFetch() take one as they take a preset name', () => {
  const format = resolveFormat('jsend');

  test("a preset's own format, and the reading formats of express-envelope/client/core, decode as the name does", async () => {
    const { status, text } = render('jsend', undefined, { kind: 'error', status: 404, message: 'Nope', hard: true, validation: false });
    const byName = decodeText('jsend', status, text);
    expect(decodeText(format, status, text)).toStrictEqual(byName);
    expect(decodeText(core.jsend, status, text)).toStrictEqual(byName);
    expect(decode(core.wispanel.portal, { status: 200, body: { success: true, data: 1 } })).toStrictEqual({
      ok: true,
      kind: 'success',
      status: 200,
      data: 1,
    });
    const api = envelopeFetch(format, { fetch: async () => ({ status, headers: new Headers(), text: async () => text }) });
    expect(await api('https://example.com/x')).toStrictEqual(byName);
    expect(refusal(() => decodeText(core.wispanel.license, 200, '{}')).preset).toBe('wispanel:license');
  });

  test('express-envelope/client/core takes formats only; a mistake about a format is a TypeError with a code', () => {
    jest.isolateModules(() => {
      // Loaded alone, as its own bundle is: no table of names.
      const alone = jest.requireActual<typeof core>('../../client/core');
      expect(() => alone.decodeText('jsend' as never, 200, '{}')).toThrow(
        expect.objectContaining({
          code: 'ERR_ENVELOPE_UNKNOWN_FORMAT',
          message: `express-envelope/client: express-envelope/client/core reads formats, not preset names (got "jsend"); import the preset's format, or use express-envelope/client`,
        }),
      );
      expect(alone.decodeText(alone.jsend, 200, '{"status":"success","data":1}')).toStrictEqual({
        ok: true,
        kind: 'success',
        status: 200,
        data: 1,
      });
    });
    const renderOnly = defineFormat({ name: 'renderOnly', render: format.render, schemas: format.schemas });
    expect(() => decodeText(renderOnly, 200, '{}')).toThrow(
      expect.objectContaining({
        code: 'ERR_ENVELOPE_INVALID_FORMAT',
        message: 'express-envelope/client: format "renderOnly" has no reader: give defineFormat() a read function or its keys',
      }),
    );
    expect(() => decodeText(format, 200, '{}', undefined, { variant: 'panel' })).toThrow(
      expect.objectContaining({ code: 'ERR_ENVELOPE_UNKNOWN_OPTION' }),
    );
  });

  test.each([
    [{ keys: 'ok' }, 'format "f": keys must be an object'],
    [{ keys: { data: 'd' } }, 'format "f": keys needs data and message'],
    [
      { keys: { data: 'd', message: 'm', sucess: ['ok', true] } },
      'format "f": unknown key "sucess" in keys; known are success, data, message, code, issues, requestId',
    ],
    [{ keys: { data: 'd', message: 'm', success: ['ok'] } }, 'format "f": keys.success must be [key, value on a success]'],
    [{ keys: { data: '', message: 'm' } }, 'format "f": keys.data must be a non-empty string'],
    [{ read: 'yes' }, 'format "f": read must be a function (body, ctx) => reading'],
  ])('defineFormat() refuses %j', (extra, message) => {
    expect(() => defineFormat({ name: 'f', render: format.render, schemas: format.schemas, ...(extra as object) })).toThrow(
      expect.objectContaining({ code: 'ERR_ENVELOPE_INVALID_FORMAT', message: `defineFormat(): ${message}` }),
    );
  });

  test('a derived reader without a success key goes by the HTTP status, and refuses a body without its keys', () => {
    const plain = defineFormat({
      name: 'plain',
      render: format.render,
      schemas: format.schemas,
      keys: { data: 'value', message: 'error' },
    });
    expect(decode(plain, { status: 201, body: { value: [1] } })).toStrictEqual({ ok: true, kind: 'success', status: 201, data: [1] });
    expect(decode(plain, { status: 409, body: { error: 'Taken' } })).toStrictEqual({
      ok: false,
      kind: 'error',
      status: 409,
      message: 'Taken',
      issues: [],
    });
    expect(refusal(() => decode(plain, { status: 200, body: { other: 1 } })).reason).toBe('expected the key value');
    expect(refusal(() => decode(plain, { status: 500, body: [] })).reason).toBe('expected an object with value or error, got an array');
  });
});
