// Users' own wording: errorHandler({ formatIssue }) and each preset's `messages`.

import express from 'express';
import createError from 'http-errors';
import request from 'supertest';
import * as z4 from 'zod';
import { type IssueFormatter, RequestValidationError, envelope, errorHandler, requestId } from '../../index';
import { wispanel } from '../../lib/formats/wispanel';
import { expectEnvelope } from '../helpers/expect-envelope';

function appWith(format: string, options: object, handlerOptions: object = {}) {
  const app = express();
  app.use(requestId({ generator: () => 'id-1' }));
  app.use(envelope(format as never, options as never));
  app.use(express.json());
  app.post('/zod', (req) => {
    z4.object({ age: z4.number() }).parse(req.body);
  });
  app.get('/own', () => {
    throw new RequestValidationError([{ path: 'from', message: 'must be before "to"', location: 'query' }]);
  });
  app.get('/crash', () => {
    throw new Error('secret');
  });
  app.get('/hidden', () => {
    throw createError(503, 'secret');
  });
  app.use(errorHandler({ log: false, ...handlerOptions }));
  return app;
}

describe('formatIssue', () => {
  it('rewords each issue, knowing the library and the original error', async () => {
    const seen: string[] = [];
    const formatIssue: IssueFormatter = (issue, { source, error }) => {
      seen.push(`${source}:${(error as Error).name}`);
      return { ...issue, message: `[${source}] ${issue.message}` };
    };
    const app = appWith('backendResponse', {}, { formatIssue });
    expectEnvelope(await request(app).post('/zod').send({ age: 'x' }), {
      format: 'backendResponse',
      kind: 'error',
      status: 422,
      body: {
        ok: false,
        type: 'error',
        action: 'error',
        data: null,
        message: 'Error de validación: age: [zod] Invalid input: expected number, received string',
        meta: null,
      },
    });
    expectEnvelope(await request(app).post('/zod').set('Content-Type', 'application/json').send('{'), {
      format: 'backendResponse',
      kind: 'error',
      status: 422,
      body: {
        ok: false,
        type: 'error',
        action: 'error',
        data: null,
        message: 'Error de validación: [body-parser] Malformed request body',
        meta: null,
      },
    });
    expectEnvelope(await request(app).get('/own'), {
      format: 'backendResponse',
      kind: 'error',
      status: 422,
      body: {
        ok: false,
        type: 'error',
        action: 'error',
        data: null,
        message: 'Error de validación: from: [details] must be before "to"',
        meta: null,
      },
    });
    expect(seen).toEqual(['zod:ZodError', 'body-parser:SyntaxError', 'details:RequestValidationError']);
  });

  it('keeps the issue when the formatter throws or returns something unusable', async () => {
    const throwing = appWith(
      'jsend',
      {},
      {
        formatIssue: () => {
          throw new Error('bug');
        },
      },
    );
    const bad = appWith('jsend', {}, { formatIssue: () => ({ nope: true }) });
    for (const app of [throwing, bad]) {
      expectEnvelope(await request(app).get('/own'), {
        format: 'jsend',
        kind: 'error',
        status: 400,
        body: { status: 'fail', data: { from: 'must be before "to"' } },
      });
    }
  });

  it('is checked when the handler is made', () => {
    expect(() => errorHandler({ formatIssue: 'x' as never })).toThrow(expect.objectContaining({ code: 'ERR_ENVELOPE_INVALID_OPTION' }));
  });
});

describe('messages', () => {
  it('replaces the Spanish texts of backendResponse', async () => {
    const app = appWith('backendResponse', {
      messages: { validation: 'Validation error: {issues}', internalError: 'Internal server error.' },
    });
    expectEnvelope(await request(app).get('/own'), {
      format: 'backendResponse',
      kind: 'error',
      status: 422,
      body: { ok: false, type: 'error', action: 'error', data: null, message: 'Validation error: from: must be before "to"', meta: null },
    });
    expectEnvelope(await request(app).get('/crash'), {
      format: 'backendResponse',
      kind: 'error',
      status: 500,
      body: { ok: false, type: 'error', action: 'error', data: null, message: 'Internal server error.', meta: null },
    });
  });

  it('applies to the variant of wispanel, and the internal error text to every 5xx', async () => {
    const app = appWith('wispanel', { variant: 'portal', messages: { validation: 'Datos inválidos', internalError: 'Error interno' } });
    expectEnvelope(await request(app).get('/own'), {
      format: 'wispanel',
      options: { variant: 'portal' },
      kind: 'error',
      status: 422,
      body: { success: false, error: 'Datos inválidos', code: 'VALIDATION_ERROR', details: { from: ['must be before "to"'] } },
    });
    expectEnvelope(await request(app).get('/hidden'), {
      format: 'wispanel',
      options: { variant: 'portal' },
      kind: 'error',
      status: 503,
      body: { success: false, error: 'Error interno', code: 'INTERNAL_ERROR' },
    });
  });

  it('works in every preset that has a validation text', async () => {
    const cases: [string, string][] = [
      ['vbapi', '"detail":"Invalid: from: must be before \\"to\\""'],
      ['statusOk', '"text":"Invalid: from: must be before \\"to\\""'],
      ['webServiceReturn', '"Message":"Invalid: from: must be before \\"to\\""'],
      ['problem', '"detail":"Invalid: from: must be before \\"to\\""'],
    ];
    for (const [format, fragment] of cases) {
      const res = await request(appWith(format, { messages: { validation: 'Invalid: {issues}' } })).get('/own');
      expect([format, res.text]).toEqual([format, expect.stringContaining(fragment)]);
    }
  });

  it('applies to the fallback format of errorHandler()', async () => {
    const app = express();
    app.use(requestId({ generator: () => 'id-2' }));
    app.get('/crash', () => {
      throw new Error('secret');
    });
    app.use(errorHandler({ log: false, messages: { internalError: 'Try again later' } }));
    expectEnvelope(await request(app).get('/crash'), {
      format: 'problem',
      kind: 'error',
      status: 500,
      contentType: 'application/problem+json; charset=utf-8',
      body: { type: 'about:blank', title: 'Internal Server Error', status: 500, detail: 'Try again later', instance: '/crash' },
    });
    expect(() => errorHandler({ variant: 'lean' } as never)).toThrow(
      expect.objectContaining({
        message:
          'errorHandler(): unknown option "variant"; known options are format, log, debug, formatIssue, locales, translate, onError, report, messages, validationType, traceId',
      }),
    );
  });

  it('reports unknown message keys and non-string texts', () => {
    expect(() => envelope('vbapi', { messages: { validaton: 'x' } as never })).toThrow(
      expect.objectContaining({ code: 'ERR_ENVELOPE_UNKNOWN_OPTION' }),
    );
    expect(() => wispanel({ messages: { validation: 1 as never } })).toThrow(
      expect.objectContaining({ code: 'ERR_ENVELOPE_INVALID_OPTION' }),
    );
    expect(() => wispanel({ messages: 'x' as never })).toThrow(expect.objectContaining({ code: 'ERR_ENVELOPE_INVALID_OPTION' }));
    // jsend writes validation failures as a field map: it has no validation text to replace.
    expect(() => envelope('jsend', { messages: { validation: 'x' } })).toThrow(
      expect.objectContaining({ message: 'jsend: unknown message "validation"; known messages are internalError' }),
    );
  });
});
