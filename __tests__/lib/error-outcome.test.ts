// toErrorOutcome(): the rules of docs/contract.md#errors, without Express.

import createError from 'http-errors';
import { isHttpErrorLike, toErrorOutcome } from '../../index';

describe('toErrorOutcome()', () => {
  it('takes exposed properties of an http error', () => {
    const err = createError(409, 'Taken', {
      code: 'DUP',
      action: 'client_exists',
      actor: 'Clients/Create',
      data: { id: 1 },
      returnQuestion: { ok: true },
      type: 'https://example.com/dup',
    });
    expect(toErrorOutcome(err)).toEqual({
      kind: 'error',
      status: 409,
      message: 'Taken',
      code: 'DUP',
      action: 'client_exists',
      actor: 'Clients/Create',
      data: { id: 1 },
      returnQuestion: { ok: true },
      type: 'https://example.com/dup',
      hard: false,
      validation: false,
    });
  });

  it('marks hard errors: an explicit hard flag, and every 5xx', () => {
    expect(toErrorOutcome(createError(404, 'x', { hard: true })).hard).toBe(true);
    expect(toErrorOutcome(createError(502)).hard).toBe(true);
    expect(toErrorOutcome(createError(404)).hard).toBe(false);
  });

  it('reads validation issues from exposed details only', () => {
    const details = [{ path: 'a', message: 'bad', location: 'query', value: 'secret' }];
    expect(toErrorOutcome(createError(400, 'x', { details }))).toEqual({
      kind: 'error',
      status: 400,
      message: 'a: bad',
      details: [{ path: 'a', message: 'bad', location: 'query' }],
      hard: false,
      validation: true,
    });
    expect(toErrorOutcome(createError(400, 'x', { details: [{ path: 1 }] })).validation).toBe(false);
    expect(toErrorOutcome(createError(400, 'x', { details, expose: false })).validation).toBe(false);
  });

  it('uses the format generic message for unexposed errors and adds the stack only in debug', () => {
    const generic = (status: number) => `generic ${status}`;
    expect(toErrorOutcome(new Error('secret'), { genericMessage: generic })).toEqual({
      kind: 'error',
      status: 500,
      message: 'generic 500',
      hard: true,
      validation: false,
    });
    expect(toErrorOutcome(new Error('secret'), { debug: true }).stack).toMatch(/^Error: secret/);
    expect(toErrorOutcome('thrown string', { debug: true }).stack).toBe('thrown string');
  });

  it('replaces body-parser messages by fixed texts', () => {
    const parse = createError(400, 'Unexpected token s in JSON at position 1: {secret', { type: 'entity.parse.failed' });
    expect(toErrorOutcome(parse)).toEqual({
      kind: 'error',
      status: 400,
      message: 'Malformed request body',
      details: [{ path: '', message: 'Malformed request body' }],
      hard: true,
      validation: true,
    });
    const types: [string, number, string][] = [
      ['entity.too.large', 413, 'Request body too large'],
      ['encoding.unsupported', 415, 'Unsupported content encoding'],
      ['charset.unsupported', 415, 'Unsupported charset'],
      ['request.aborted', 400, 'Request aborted'],
      ['request.size.invalid', 400, 'Request size did not match content length'],
      ['entity.verify.failed', 403, 'Request body verification failed'],
      ['parameters.too.many', 413, 'Too many parameters'],
      ['querystring.parse.rangeError', 400, 'Request body nested too deeply'],
      ['stream.encoding.set', 500, 'Internal Server Error'],
    ];
    for (const [type, status, message] of types) {
      expect([type, toErrorOutcome(createError(status, 'echo of the body', { type }))]).toEqual([
        type,
        { kind: 'error', status, message, hard: true, validation: false },
      ]);
    }
  });

  it('keeps the status of an openapi refusal, hides its message, and makes 404/405/413/415 and 5xx hard', () => {
    const refusal = (status: number) =>
      Object.assign(new Error(`unsupported media type text/secret`), { status, path: '/x', errors: [{ path: '/x', message: 'echo' }] });
    expect([404, 415, 401, 500].map((status) => toErrorOutcome(refusal(status)))).toEqual([
      { kind: 'error', status: 404, message: 'Not Found', hard: true, validation: false },
      { kind: 'error', status: 415, message: 'Unsupported Media Type', hard: true, validation: false },
      { kind: 'error', status: 401, message: 'Unauthorized', hard: false, validation: false },
      { kind: 'error', status: 500, message: 'Internal Server Error', hard: true, validation: false },
    ]);
  });

  it('replaces any issue message that quotes a submitted value, whichever field it came from', () => {
    const err = createError(400, 'x', {
      details: [
        { path: 'password2', message: 'does not match hunter22' },
        { path: 'tags', message: 'bad ["SECRET-42"]' },
        { path: 'age', message: 'must be at least 18' },
      ],
    });
    const submitted = () => [{ password: 'hunter22', tags: ['SECRET-42'], age: 17, ok: true }, { q: 'x' }];
    expect(toErrorOutcome(err, { submitted }).details).toEqual([
      { path: 'password2', message: 'Invalid value' },
      { path: 'tags', message: 'Invalid value' },
      { path: 'age', message: 'must be at least 18' },
    ]);
  });

  it('recognises http errors by shape', () => {
    expect(isHttpErrorLike({ status: 404, statusCode: 404, expose: true })).toBe(true);
    expect(isHttpErrorLike({ status: 404, statusCode: 400, expose: true })).toBe(false);
    expect(isHttpErrorLike(null)).toBe(false);
  });
});
