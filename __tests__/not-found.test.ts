// notFound(): a hard 404 in the request's envelope, with its own message.

import createError from 'http-errors';
import request from 'supertest';
import { envelope, errorHandler, notFound, requestId } from '../index';
import { FLAVORS, createApp, expressOf } from './helpers/create-app';
import { expectEnvelope } from './helpers/expect-envelope';

describe.each(FLAVORS)('notFound() on %s', (flavor) => {
  it('answers unknown routes outside every envelope with problem details', async () => {
    const app = createApp(flavor, { mounts: [] });
    expectEnvelope(await request(app).get('/nowhere?x=1'), {
      format: 'problem',
      kind: 'error',
      status: 404,
      contentType: 'application/problem+json; charset=utf-8',
      body: { type: 'about:blank', title: 'Not Found', status: 404, detail: 'Not Found', instance: '/nowhere' },
    });
  });
});

describe('notFound() options', () => {
  it('uses its message, and is hard even where soft errors are 200', async () => {
    const exp = expressOf('express5');
    const app = exp();
    app.use(requestId());
    app.use(envelope('statusOk'));
    app.get('/client', () => {
      throw createError(404, 'No such client');
    });
    app.use(notFound({ message: 'No such endpoint' }));
    app.use(errorHandler());
    expectEnvelope(await request(app).get('/missing'), {
      format: 'statusOk',
      kind: 'error',
      status: 404,
      body: { status: 'error', code: 'not_found', text: 'No such endpoint' },
    });
    expectEnvelope(await request(app).get('/client'), {
      format: 'statusOk',
      kind: 'error',
      status: 200,
      body: { status: 'error', code: 'not_found', text: 'No such client' },
    });
  });

  it('reports unknown options', () => {
    expect(() => notFound({ msg: 'x' } as never)).toThrow(expect.objectContaining({ code: 'ERR_ENVELOPE_UNKNOWN_OPTION' }));
    expect(notFound({ message: undefined })).toEqual(expect.any(Function));
  });
});
