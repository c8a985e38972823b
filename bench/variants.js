// The registry of benchmarked servers: one app factory per variant, and the groups they are compared in.
//
// Every factory runs inside its own child process (bench/server.js) and returns a request listener
// (an Express app or a plain node:http handler), or a promise of one. Every variant answers GET /.
'use strict';

const { Buffer } = require('node:buffer');
const { randomUUID } = require('node:crypto');
const { AsyncLocalStorage } = require('node:async_hooks');
const { PAYLOADS } = require('./payloads');

/** The seven presets, by their canonical names (aliases render the same). */
const PRESETS = ['vbapi', 'backendResponse', 'wispanel', 'webServiceReturn', 'statusOk', 'jsend', 'problem'];

// Loaded lazily so that the parent process, which only reads ids and labels, never loads Express.
const lib = () => require('../dist/cjs');
const express = () => require('express');
const createError = () => require('http-errors');

function ceiling(payload) {
  return function ceiling(_req, res) {
    const text = JSON.stringify(payload);
    res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  };
}

function bare(payload) {
  const app = express()();
  app.get('/', (_req, res) => res.json(payload));
  return app;
}

/** The minimal hand-written request id: what requestId() does, without options or validation. */
function handwrittenRequestId() {
  const storage = new AsyncLocalStorage();
  return function handwrittenRequestId(req, res, next) {
    const id = randomUUID();
    res.setHeader('X-Request-Id', id);
    req.id = id;
    storage.run(id, next);
  };
}

function handwrittenEnvelope(payload) {
  const app = express()();
  app.use(handwrittenRequestId());
  app.get('/', (req, res) => res.json({ data: payload, error: null, debug: { activityId: req.id } }));
  return app;
}

function enveloped(preset, payload) {
  const { requestId, envelope, errorHandler } = lib();
  const app = express()();
  app.use(requestId());
  app.use(envelope(preset));
  app.get('/', (_req, res) => res.json(payload));
  app.use(errorHandler());
  return app;
}

/** An app whose only route throws; `before` and `after` are the middleware around it. */
function throwing(before, after) {
  const app = express()();
  if (before.length) app.use(...before);
  app.get('/', () => {
    throw createError()(404, 'Client not found');
  });
  app.use(...after);
  return app;
}

// Express tells an error handler by its four parameters, so `_next` stays though unused.
// eslint-disable-next-line @typescript-eslint/no-unused-vars
function minimalErrorHandler(err, _req, res, _next) {
  const status = err.status || 500;
  res.status(status).json({ error: { status, message: err.message } });
}

function requestIdAlone(middleware, payload) {
  const app = express()();
  app.use(middleware);
  app.get('/', (_req, res) => res.json(payload));
  return app;
}

async function expressRequestId(payload) {
  // express-request-id 3 is ESM-only: a dynamic import() loads it from this CommonJS child.
  const { default: requestID } = await import('express-request-id');
  return requestIdAlone(requestID(), payload);
}

/**
 * `label` describes the variant in tables, `short` names it on the chart (under its group's title),
 * `role` picks the bar colour and `status` is what its GET / must answer.
 */
const VARIANTS = [];

function add({ id, label, short = label, role, create, status = 200, requestIdHeader = false }) {
  VARIANTS.push({ id, label, short, role, create, status, requestIdHeader });
}

for (const { name, value } of Object.values(PAYLOADS)) {
  add({ id: `${name}/ceiling`, label: 'node:http + JSON.stringify (ceiling)', short: 'node:http ceiling', role: 'ceiling', create: () => ceiling(value) });
  add({ id: `${name}/bare`, label: 'bare Express 5 res.json', short: 'bare res.json', role: 'baseline', create: () => bare(value) });
  add({
    id: `${name}/handwritten`,
    label: 'hand-written id + ALS + inline VBAPI envelope',
    short: 'hand-written equivalent',
    role: 'handwritten',
    create: () => handwrittenEnvelope(value),
    requestIdHeader: true,
  });
  for (const preset of PRESETS) {
    add({
      id: `${name}/${preset}`,
      label: `requestId()+envelope('${preset}')+errorHandler()`,
      short: `envelope('${preset}')`,
      role: 'ours',
      create: () => enveloped(preset, value),
      requestIdHeader: true,
    });
  }
}

add({
  id: 'error/ours-vbapi',
  label: "requestId()+envelope('vbapi')+errorHandler()",
  short: "envelope('vbapi')+errorHandler()",
  role: 'ours',
  create: () => {
    const { requestId, envelope, errorHandler } = lib();
    return throwing([requestId(), envelope('vbapi')], [errorHandler()]);
  },
  status: 404,
  requestIdHeader: true,
});
add({
  id: 'error/ours-problem',
  label: 'errorHandler() (problem)',
  role: 'ours',
  create: () => throwing([], [lib().errorHandler()]),
  status: 404,
  requestIdHeader: true,
});
add({
  id: 'error/minimal',
  label: 'hand-written minimal error handler',
  short: 'hand-written minimal handler',
  role: 'handwritten',
  create: () => throwing([], [minimalErrorHandler]),
  status: 404,
});
add({
  id: 'error/strong-error-handler',
  label: 'strong-error-handler({ debug: false, log: false })',
  short: 'strong-error-handler',
  role: 'baseline',
  create: () => throwing([], [require('strong-error-handler')({ debug: false, log: false })]),
  status: 404,
});

const small = PAYLOADS.small.value;
add({
  id: 'request-id/ours',
  label: 'requestId()',
  role: 'ours',
  create: () => requestIdAlone(lib().requestId(), small),
  requestIdHeader: true,
});
add({
  id: 'request-id/handwritten',
  label: 'hand-written randomUUID + setHeader + ALS.run',
  short: 'hand-written equivalent',
  role: 'handwritten',
  create: () => requestIdAlone(handwrittenRequestId(), small),
  requestIdHeader: true,
});
add({
  id: 'request-id/express-request-id',
  label: 'express-request-id 3 (uuid v4, no ALS)',
  short: 'express-request-id 3',
  role: 'peer',
  create: () => expressRequestId(small),
  requestIdHeader: true,
});

/**
 * Groups: each variant's req/s is divided by its group's `baseline`; success groups also divide by
 * `reference` (the hand-written equivalent). A variant may appear in several groups (bare 200 B is
 * also the request-id group's baseline) and is measured once per round.
 */
const GROUPS = [
  ...Object.values(PAYLOADS).map(({ name, label }) => ({
    id: `success-${name}`,
    title: `Success path, ${label}`,
    baseline: `${name}/bare`,
    baselineShort: 'bare',
    reference: `${name}/handwritten`,
    members: [`${name}/ceiling`, `${name}/bare`, `${name}/handwritten`, ...PRESETS.map((p) => `${name}/${p}`)],
    // docs/contract.md#quality-bars: every preset keeps at least 97% of the hand-written equivalent's throughput.
    target: { against: 'reference', min: 0.97, of: PRESETS.map((p) => `${name}/${p}`) },
  })),
  {
    id: 'error',
    title: "Error path, a thrown createError(404, 'Client not found')",
    baseline: 'error/strong-error-handler',
    baselineShort: 'strong-error-handler',
    members: ['error/ours-vbapi', 'error/ours-problem', 'error/minimal', 'error/strong-error-handler'],
    // docs/contract.md#quality-bars: the error path is at least as fast as strong-error-handler.
    target: { against: 'baseline', min: 1, of: ['error/ours-vbapi', 'error/ours-problem'] },
  },
  {
    id: 'request-id',
    title: 'Request id alone, 200 B object',
    baseline: 'small/bare',
    baselineShort: 'bare',
    reference: 'request-id/handwritten',
    members: ['small/bare', 'request-id/handwritten', 'request-id/ours', 'request-id/express-request-id'],
  },
];

/** The memory check's server: mixed successes and thrown errors, plus an uncounted /__heap probe. */
function memoryApp() {
  const { requestId, envelope, errorHandler } = lib();
  const app = express()();
  app.get('/__heap', (_req, res) => {
    // Two passes: the first may only promote what the second frees.
    globalThis.gc();
    globalThis.gc();
    res.json(process.memoryUsage());
  });
  app.use(requestId());
  app.use(envelope('vbapi'));
  app.get('/ok', (_req, res) => res.json(PAYLOADS.small.value));
  app.get('/list', (_req, res) => res.json(PAYLOADS.list.value));
  app.get('/err', () => {
    throw createError()(404, 'Client not found');
  });
  app.use(errorHandler());
  return app;
}

const APPS = { memory: memoryApp };

/** The request listener of a variant (or of a helper app such as `memory`), by id. */
async function createListener(id) {
  const variant = VARIANTS.find((v) => v.id === id);
  const create = variant ? variant.create : APPS[id];
  if (!create) throw new Error(`unknown variant "${id}"`);
  return create();
}

module.exports = { PRESETS, VARIANTS, GROUPS, createListener };
