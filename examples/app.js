// The runnable demo: the same routes under every preset, so the envelopes can be compared side by side.
//
//   npm start                      # builds, then serves on http://localhost:3000
//   curl -i localhost:3000/vbapi/clients/1
//   curl -i localhost:3000/problem/crash
//   curl -i -X POST localhost:3000/wispanel/payments -H 'Idempotency-Key: "k1"' -H 'Content-Type: application/json' -d '{"amount":10}'
//     (again: the same answer with Idempotent-Replayed: true; with another body: a 422)
'use strict';

const express = require('express');
const createError = require('http-errors');
const { requestId, envelope, notFound, errorHandler, rateLimit, idempotency } = require('express-envelope');
const { playgroundPage, playgroundRouter } = require('./playground/serve');

/** Each preset under its own prefix: [prefix, preset name]. */
const PRESETS = [
  ['/vbapi', 'vbapi'],
  ['/backend-response', 'backendResponse'],
  ['/wispanel', 'wispanel'],
  ['/web-service-return', 'webServiceReturn'],
  ['/status-ok', 'statusOk'],
  ['/jsend', 'jsend'],
  ['/problem', 'problem'],
];

/** WisPanel's other shapes, mounted for the playground page: [prefix, variant]. */
const WISPANEL_VARIANTS = [
  ['/wispanel-portal', 'portal'],
  ['/wispanel-license', 'license'],
  ['/wispanel-lean', 'lean'],
  ['/wispanel-bare', 'bare'],
];

/** The routes below every prefix, and what each one shows. */
const EXAMPLES = [
  ['GET', '/clients/1', 'a success'],
  ['GET', '/info', 'an informational success (res.info)'],
  ['POST', '/clients', 'a 201 created (send a JSON body; a malformed one shows the validation envelope)'],
  ['GET', '/clients/404', 'a thrown 404 (a business error)'],
  ['GET', '/bad-request', 'a thrown 400 with a message'],
  ['GET', '/validation', "a validation failure (an exposed 422 with details), in each envelope's own shape"],
  ['POST', '/payments', 'safe retries: send an Idempotency-Key header and a JSON body twice, the second is replayed'],
  ['GET', '/crash', 'a crash: a 500 that does not leak the error message'],
  ['GET', '/limited', 'a rate-limited route: 3 requests a minute, then a 429 in the envelope'],
  ['GET', '/no-such-route', 'an unknown route: notFound() then errorHandler()'],
];

/** One router, mounted after each envelope(): the envelope, not the route, decides the shape. */
function createRoutes() {
  const router = express.Router();

  router.get('/clients/:id', (req, res) => {
    if (req.params.id !== '1') throw createError(404, 'Client not found');
    res.json({ id: 1, name: 'Example' });
  });

  router.get('/info', (_req, res) => {
    res.info({ max_tickets: 3 }, { action: 'zone_ticket_limit_reached' });
  });

  router.post('/clients', express.json(), (req, res) => {
    const body = req.body;
    const name = body && typeof body.name === 'string' ? body.name : 'New client';
    res.status(201).success({ id: 2, name });
  });

  router.get('/bad-request', () => {
    throw createError(400, 'The "from" date must be before "to"');
  });

  router.get('/validation', () => {
    // An exposed error with details is a validation failure, in each envelope's own shape.
    throw createError(422, 'Invalid client', {
      details: [
        { path: 'name', message: 'Required' },
        { path: 'email', message: 'Must be an email address' },
      ],
    });
  });

  router.get('/crash', () => {
    // A 5xx is not exposed: the client gets the generic message, the log gets this one.
    throw new Error('database password is hunter2');
  });

  return router;
}

/**
 * The demo app: requestId() first, each preset's envelope() with the shared routes, then the catch-alls.
 * `options.clientFile` is the client build the playground page imports (dist/client/index.mjs).
 */
function createDemoApp(options = {}) {
  const app = express();
  app.use(requestId());
  app.use(playgroundRouter(options));

  // A browser asking for HTML gets the playground page; anything else, the JSON index.
  app.get('/', playgroundPage, (req, res) => {
    const base = `${req.protocol}://${req.get('host')}`;
    const examples = (prefix) => EXAMPLES.map(([method, path, shows]) => ({ method, url: `${base}${prefix}${path}`, shows }));
    res.json({
      name: 'express-envelope demo',
      playground: { url: `${base}/`, shows: 'every preset against every scenario, in a browser (ask for HTML)' },
      presets: [
        ...PRESETS.map(([prefix, preset]) => ({ preset, examples: examples(prefix) })),
        ...WISPANEL_VARIANTS.map(([prefix, variant]) => ({ preset: 'wispanel', variant, examples: examples(prefix) })),
      ],
    });
  });

  const routes = createRoutes();
  const mounts = [...PRESETS, ...WISPANEL_VARIANTS.map(([prefix, variant]) => [prefix, 'wispanel', { variant }])];
  for (const [prefix, preset, presetOptions] of mounts) {
    // One limiter per prefix, so each preset's refusal can be seen on its own.
    const limited = rateLimit({ windowMs: 60_000, limit: 3 });
    app.use(prefix, envelope(preset, presetOptions));
    app.get(`${prefix}/limited`, limited, (_req, res) => {
      res.json({ ok: true });
    });
    // Safe retries: the same Idempotency-Key and body replay the first answer (the handler does not
    // run again); the same key with another body is a 422 IDEMPOTENCY_KEY_MISMATCH in the envelope.
    let payments = 0;
    app.post(`${prefix}/payments`, express.json(), idempotency(), (req, res) => {
      payments += 1;
      const amount = req.body && typeof req.body.amount === 'number' ? req.body.amount : null;
      res.status(201).location(`${prefix}/payments/${payments}`).success({ id: payments, amount });
    });
    app.use(prefix, routes);
  }

  app.use(notFound());
  app.use(errorHandler());
  return app;
}

module.exports = { createDemoApp, PRESETS, EXAMPLES, WISPANEL_VARIANTS };
