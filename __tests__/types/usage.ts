// Compile-only: the middleware fits app.use() of Express 5 and Connect without casts (run by npm run typecheck).

import express from 'express';
import connect from 'connect';
import { defineFormat, envelope, errorHandler, notFound, requestId, currentRequestId } from '../../index';

const app = express();
app.use(requestId());
app.use('/api', envelope('vbapi'));
app.use(envelope('wispanel', { variant: 'portal' }));
app.get('/x', (req, res) => {
  const id: string | undefined = req.id;
  res.success({ id, ctx: currentRequestId() }, { status: 201, meta: { total: 1 } });
});
app.use(notFound());
app.use(errorHandler({ format: 'jsend' }));
const c = connect();
c.use(requestId());
c.use(envelope('problem'));
c.use(errorHandler());

// Languages and trace context.
app.use(requestId({ traceparent: true }));
app.use(
  '/es',
  envelope('vbapi', {
    locales: ['en', 'es'],
    messages: { validation: 'Invalid: {issues}', es: { validation: 'Datos inválidos: {issues}' } },
    translate: (outcome, { locale }) => (outcome.code === 'X' ? `${locale}: x` : undefined),
  }),
);
app.use('/p', envelope('problem', { validationType: 'https://example.com/problems/validation' }));
app.use(
  errorHandler({ locales: ['pt', 'en'], formatIssue: (issue, { locale }) => ({ ...issue, message: `${locale ?? ''}${issue.message}` }) }),
);
app.use(requestId({ asyncContext: false }));
app.use(
  '/v2',
  envelope(
    defineFormat({
      name: 'mine',
      render: (o) => ({ status: o.status, body: { result: o.kind === 'error' ? null : o.data } }),
      schemas: () => ({ success: {}, error: {} }),
    }),
  ),
);
