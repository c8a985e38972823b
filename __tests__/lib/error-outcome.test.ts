// toErrorOutcome(): the rules of docs/internals/contract.md#errors, without Express.

import createError from 'http-errors';
import { isHttpErrorLike, toErrorOutcome } from '../../lib/error-outcome';

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
      packageText: 'generic',
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
      packageText: 'malformedBody',
    });
    const types: [string, number, string, string][] = [
      ['entity.too.large', 413, 'Request body too large', 'bodyTooLarge'],
      ['encoding.unsupported', 415, 'Unsupported content encoding', 'unsupportedEncoding'],
      ['charset.unsupported', 415, 'Unsupported charset', 'unsupportedCharset'],
      ['request.aborted', 400, 'Request aborted', 'requestAborted'],
      ['request.size.invalid', 400, 'Request size did not match content length', 'sizeMismatch'],
      ['entity.verify.failed', 403, 'Request body verification failed', 'verifyFailed'],
      ['parameters.too.many', 413, 'Too many parameters', 'tooManyParameters'],
      ['querystring.parse.rangeError', 400, 'Request body nested too deeply', 'nestedTooDeeply'],
      ['stream.encoding.set', 500, 'Internal Server Error', 'generic'],
    ];
    for (const [type, status, message, packageText] of types) {
      expect([type, toErrorOutcome(createError(status, 'echo of the body', { type }))]).toEqual([
        type,
        { kind: 'error', status, message, hard: true, validation: false, packageText },
      ]);
    }
  });

  it('keeps the status of an openapi refusal, hides its message, and makes 404/405/413/415 and 5xx hard', () => {
    const refusal = (status: number) =>
      Object.assign(new Error(`unsupported media type text/secret`), { status, path: '/x', errors: [{ path: '/x', message: 'echo' }] });
    expect([404, 415, 401, 500].map((status) => toErrorOutcome(refusal(status)))).toEqual([
      { kind: 'error', status: 404, message: 'Not Found', hard: true, validation: false, packageText: 'generic' },
      { kind: 'error', status: 415, message: 'Unsupported Media Type', hard: true, validation: false, packageText: 'generic' },
      { kind: 'error', status: 401, message: 'Unauthorized', hard: false, validation: false, packageText: 'generic' },
      { kind: 'error', status: 500, message: 'Internal Server Error', hard: true, validation: false, packageText: 'generic' },
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
