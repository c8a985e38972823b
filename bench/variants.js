// The one definition of what is measured, shared by bench/time.js and bench/instructions.js: the HTTP
// variants and their groups, the render and decode cases, the idempotency modes, the memory-store sizes.
// Every id is selectable by prefix with BENCH_ONLY. Express and the package load lazily: only the
// processes that measure something load them.
'use strict';

const { Buffer } = require('node:buffer');
const { randomUUID } = require('node:crypto');
const { AsyncLocalStorage } = require('node:async_hooks');

const PAYLOADS = {
  small: { name: 'small', label: '200 B object', value: require('./fixtures/small.json') },
  list: { name: 'list', label: '10 kB list', value: require('./fixtures/list.json') },
};
const PRESETS = ['vbapi', 'backendResponse', 'wispanel', 'webServiceReturn', 'statusOk', 'jsend', 'problem'];
/** Every preset and WisPanel variant, for render + serialize. */
const FORMATS = [
  ...PRESETS.filter((p) => p !== 'wispanel').map((preset) => ({ id: preset, preset, options: {} })),
  ...['panel', 'portal', 'license', 'lean', 'bare'].map((variant) => ({
    id: `wispanel:${variant}`,
    preset: 'wispanel',
    options: { variant },
  })),
];

const lib = () => require('../dist/cjs');
const express = () => require('express');
const createError = () => require('http-errors');

/** An Express 5 app: `before` middleware, a GET / route, `after` middleware. */
function app(before, route, after = []) {
  const instance = express()();
  if (before.length) instance.use(...before);
  instance.get('/', route);
  if (after.length) instance.use(...after);
  return instance;
}
const sending = (payload) => (_req, res) => res.json(payload);
const throwing = () => {
  throw createError()(404, 'Client not found');
};
const enveloped = (preset, route, idOptions) => () =>
  app([lib().requestId(idOptions), lib().envelope(preset)], route, [lib().errorHandler()]);
const oneMiddleware = (preset, route) => () => app([lib().envelope(preset, { requestId: true })], route, [lib().errorHandler()]);

function ceiling(payload) {
  return (_req, res) => {
    const text = JSON.stringify(payload);
    res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  };
}

/** The least a request id and an envelope can cost: randomUUID + setHeader + ALS.run + an inline body. */
function handwritten(payload) {
  const storage = new AsyncLocalStorage();
  const id = (req, res, next) => {
    req.id = randomUUID();
    res.setHeader('X-Request-Id', req.id);
    storage.run(req.id, next);
  };
  return app([id], (req, res) => res.json({ data: payload, error: null, debug: { activityId: req.id } }));
}

// The least any error handler can do once Express caught the error (no body, no id). Express tells an
// error handler by its four parameters, so `_next` stays.
// eslint-disable-next-line @typescript-eslint/no-unused-vars
function floorHandler(err, _req, res, _next) {
  res.statusCode = err.status;
  res.end();
}

/**
 * The servers; each answers GET /, with 404 for the error path, and X-Request-Id when `idHeader`. The
 * 10 kB list is timed only (its render cost is counted by the render cases); the parts and the error
 * floor are counted only (time cannot resolve steps of 2–5 %).
 */
const VARIANTS = [];
function add(id, label, create, idHeader = true) {
  const [timed, counted] = [!/^(parts\/|error\/floor)/.test(id), !/^(small\/ceiling|list\/)/.test(id)];
  VARIANTS.push({ id, label, create, status: id.startsWith('error/') ? 404 : 200, idHeader, timed, counted });
}
for (const { name, value } of Object.values(PAYLOADS)) {
  if (name === 'small') add('small/ceiling', 'node:http + JSON.stringify (ceiling)', () => ceiling(value), false);
  add(`${name}/bare`, 'bare Express 5 res.json', () => app([], sending(value)), false);
  if (name === 'small') add('small/handwritten', 'hand-written id + ALS + inline VBAPI envelope', () => handwritten(value));
  for (const p of PRESETS) add(`${name}/${p}`, `requestId()+envelope('${p}')+errorHandler()`, enveloped(p, sending(value)));
  for (const p of PRESETS)
    add(`${name}/one/${p}`, `envelope('${p}', { requestId: true })+errorHandler()`, oneMiddleware(p, sending(value)));
}
const small = PAYLOADS.small.value;
const idAlone = (options) => () => app([lib().requestId(options)], sending(small));
add('parts/id', 'requestId({ setHeader: false, asyncContext: false })', idAlone({ setHeader: false, asyncContext: false }), false);
add('parts/header', 'requestId({ asyncContext: false })', idAlone({ asyncContext: false }));
add('parts/als', 'requestId()', idAlone());
add(
  'parts/vbapi-no-als',
  "requestId({ asyncContext: false })+envelope('vbapi')+errorHandler()",
  enveloped('vbapi', sending(small), { asyncContext: false }),
);
add('error/ours-vbapi', "requestId()+envelope('vbapi')+errorHandler()", enveloped('vbapi', throwing));
add('error/ours-problem', 'errorHandler() (problem)', () => app([], throwing, [lib().errorHandler()]));
const strong = () => require('strong-error-handler')({ debug: false, log: false });
add('error/strong-error-handler', 'strong-error-handler({ debug: false, log: false })', () => app([], throwing, [strong()]), false);
add('error/floor', 'the floor: res.statusCode = err.status; res.end()', () => app([], throwing, [floorHandler]), false);

/** A group compares its members' cost (instructions or CPU time per request) with its baseline's; a target caps that ratio for `of`. */
const GROUPS = [
  ...Object.values(PAYLOADS).map(({ name, label }) => ({
    id: `success-${name}`,
    title: `Success path, ${label}`,
    baseline: `${name}/bare`,
    members: VARIANTS.filter((v) => v.id.startsWith(`${name}/`)).map((v) => v.id),
    target: { max: 1.12, of: PRESETS.map((p) => `${name}/one/${p}`), text: '≤ 1.12 × bare Express' },
  })),
  {
    id: 'handwritten',
    title: 'The one-middleware path against writing it by hand (200 B object)',
    baseline: 'small/handwritten',
    members: ['small/handwritten', ...PRESETS.map((p) => `small/one/${p}`)],
    target: { max: 1, of: PRESETS.map((p) => `small/one/${p}`), text: '≤ 1 × the hand-written equivalent' },
  },
  {
    id: 'parts',
    title: 'The success path, piece by piece (vbapi, 200 B object)',
    steps: true,
    baseline: 'small/bare',
    members: ['small/bare', 'parts/id', 'parts/header', 'parts/als', 'small/vbapi', 'parts/vbapi-no-als'],
  },
  {
    id: 'error',
    title: "Error path, a thrown createError(404, 'Client not found')",
    baseline: 'error/strong-error-handler',
    members: ['error/strong-error-handler', 'error/ours-vbapi', 'error/ours-problem', 'error/floor'],
    target: { max: 1 / 1.15, of: ['error/ours-vbapi', 'error/ours-problem'], text: '≤ 1/1.15 × strong-error-handler' },
  },
];

/** Render + serialize must stay within this multiple of JSON.stringify(payload). */
const RENDER_TARGET = 1.05;

/** The heap check's server (id `heap`): successes and thrown 404s, plus an uncounted /__heap probe. */
function heapApp() {
  const { requestId, envelope, errorHandler } = lib();
  const instance = express()();
  instance.get('/__heap', (_req, res) => {
    globalThis.gc(); // twice: the first may only promote what the second frees
    globalThis.gc();
    res.json(process.memoryUsage());
  });
  instance.use(requestId(), envelope('vbapi'));
  instance.get('/ok', sending(small));
  instance.get('/err', throwing);
  instance.use(errorHandler());
  return instance;
}

/**
 * What an idempotency store costs per request: one server (memory store, or Redis when REDIS_URL is
 * set) whose handler spends `workMs` of CPU (standing for a database call), driven in three modes.
 */
const POST = { method: 'POST', path: '/payments', headers: { 'content-type': 'application/json' }, body: '{"amount":10}' };
const keyed = (request, key) => ({ ...request, headers: { ...request.headers, 'idempotency-key': key } });
let keys = 0;
const IDEMPOTENCY = {
  seconds: 5,
  connections: 10,
  workMs: 1,
  modes: [
    { id: 'idempotency/none', text: 'no key', request: POST },
    { id: 'idempotency/run', text: 'fresh key (run)', request: { ...POST, setupRequest: (r) => keyed(r, `run-${process.pid}-${++keys}`) } },
    { id: 'idempotency/replay', text: 'same key (replay)', request: keyed(POST, 'replay-key') },
  ],
};

function idempotencyApp() {
  const { requestId, envelope, idempotency, errorHandler, memoryIdempotencyStore, redisIdempotencyStore } = lib();
  let store = memoryIdempotencyStore({ maxKeys: 1_000_000 });
  if (process.env.REDIS_URL) {
    const redis = new (require('ioredis'))(process.env.REDIS_URL, { enableOfflineQueue: false });
    store = redisIdempotencyStore({ sendCommand: (command, ...args) => redis.call(command, ...args), prefix: `bench:${process.pid}:` });
  }
  let runs = 0;
  const instance = express()();
  instance.get('/__runs', (_req, res) => res.json({ runs }));
  instance.use(requestId(), express().json(), envelope('wispanel'), idempotency({ store, log: false }));
  instance.post('/payments', (req, res) => {
    runs++;
    const until = process.hrtime.bigint() + BigInt(IDEMPOTENCY.workMs * 1e6);
    while (process.hrtime.bigint() < until); // the handler's own work
    res.status(201).location(`/payments/${runs}`).json({ id: runs, amount: req.body.amount, currency: 'EUR' });
  });
  instance.use(errorHandler({ log: false }));
  return instance;
}

/** The request listener of a variant, or of the `heap` or `idempotency` app. */
function createListener(id) {
  if (id === 'heap') return heapApp();
  if (id === 'idempotency') return idempotencyApp();
  const variant = VARIANTS.find((v) => v.id === id);
  if (!variant) throw new Error(`unknown variant "${id}"`);
  return variant.create();
}

/**
 * Render + serialize alone, as the engine does it (lib/fast-text.ts renderText), for every format,
 * and JSON.stringify(payload): `{ id: 'render/small/vbapi', payload, name, fn }`.
 */
function renderCases() {
  const { resolveFormat } = require('../dist/cjs/lib/registry');
  const { renderText } = require('../dist/cjs/lib/fast-text');
  const ctx = { requestId: randomUUID(), instance: '/clients', debug: false };
  const cases = [];
  for (const { name: payload, value: data } of Object.values(PAYLOADS)) {
    cases.push({ id: `render/${payload}/JSON.stringify`, payload, name: 'JSON.stringify', fn: () => JSON.stringify(data) });
    for (const { id, preset, options } of FORMATS) {
      const format = resolveFormat(preset, options);
      const fn = () => renderText(format, { kind: 'success', status: 200, data }, ctx, {})[1];
      cases.push({ id: `render/${payload}/${id}`, payload, name: id, fn });
    }
  }
  return cases;
}

/**
 * The client's decodeText() against JSON.parse of the same success body, per preset and payload, and
 * one body with an id of 2^63 − 1 (the exact path): `{ id, payload, bytes, parse, decode }`.
 */
function decodeCases() {
  const { decodeText } = require('../dist/client/index.cjs');
  const { resolveFormat } = require('../dist/cjs/lib/registry');
  const { serialize } = require('../dist/cjs/lib/serialize');
  const ctx = { requestId: '3f0c9a6e-6a57-4d8e-9f51-1c2b7d9e0a11', instance: '/clients', debug: false };
  const headers = { 'content-type': 'application/json; charset=utf-8', 'x-request-id': ctx.requestId };
  const cases = [];
  const add = (payload, name, data, preset, variant) => {
    const options = variant ? { variant } : undefined;
    const { status, body } = resolveFormat(preset, options ?? {}).render({ kind: 'success', status: 200, data }, ctx);
    const text = serialize(body);
    if (!decodeText(preset, status, text, headers, options).ok) throw new Error(`${name} did not decode`);
    const parse = () => JSON.parse(text);
    const decode = () => decodeText(preset, status, text, headers, options);
    cases.push({ id: `decode/${payload}/${name}`, payload, bytes: text.length, parse, decode });
  };
  const presets = ['vbapi', 'backendResponse', 'wispanel:panel', 'wispanel:license', 'webServiceReturn', 'statusOk', 'jsend', 'problem'];
  for (const { name: payload, value } of Object.values(PAYLOADS)) for (const p of presets) add(payload, p, value, ...p.split(':'));
  add('small', 'statusOk+2^63-1', { ...small, id: 9223372036854775807n }, 'statusOk');
  return cases;
}

/** Operations counted under valgrind per case, by kind and payload: [warm-up, end]. */
const OPERATIONS = { render: { small: [10000, 15000], list: [1000, 1500] }, decode: { small: [30000, 130000], list: [2000, 7000] } };

/** memoryIdempotencyStore() from 1e3 to 1e6 keys: fill, then `ops` claims + finishes that evict, then `ops` replays. */
const MEMORY_STORE = {
  sizes: [3, 4, 5, 6].map((e) => ({ id: `memory-store/1e${e}`, keys: 10 ** e })),
  ops: 20_000,
  response: {
    status: 201,
    headers: [['Content-Type', 'application/json; charset=utf-8']],
    body: Buffer.alloc(200, 120).toString('base64'),
  },
};

/**
 * When a timing run is published: both calibration readings (the ceiling and bare Express, before and
 * after the rounds) reach QUIET_FRACTION of the machine's quiet figure and differ by at most
 * MAX_DRIFT, CPU steal stays at most MAX_STEAL %; a machine with no quiet figure must start idle.
 */
const CALIBRATION = { QUIET_FRACTION: 0.85, MAX_STEAL: 5, MAX_DRIFT: 0.15, IDLE_LOAD_PER_CORE: 0.35, KEEP: 5 };

module.exports = { PAYLOADS, FORMATS, VARIANTS, GROUPS, RENDER_TARGET, IDEMPOTENCY, OPERATIONS, MEMORY_STORE, CALIBRATION };
Object.assign(module.exports, { createListener, renderCases, decodeCases });
