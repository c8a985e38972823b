// The one definition of what is benchmarked, shared by every runner: the servers (variants), the
// groups they are compared in with their targets, and the formats of the render micro-benchmark.
//
// Every variant's factory runs in a process of its own (a server child of bench/time.js for timing,
// an in-process request loop of bench/instructions.js under valgrind) and returns a request listener. Every variant
// answers GET /. `runners` says which runner measures it: 'timing' (npm run bench), 'instructions'
// (npm run bench:instructions), or both.
'use strict';

const { Buffer } = require('node:buffer');
const { randomUUID } = require('node:crypto');
const { AsyncLocalStorage } = require('node:async_hooks');
/** The two payloads every variant sends: a ~200-byte object and a ~10 kB list (bench/fixtures/). */
const PAYLOADS = {
  small: { name: 'small', label: '200 B object', value: require('./fixtures/small.json') },
  list: { name: 'list', label: '10 kB list', value: require('./fixtures/list.json') },
};

/** The seven presets, by their canonical names (aliases render the same). */
const PRESETS = ['vbapi', 'backendResponse', 'wispanel', 'webServiceReturn', 'statusOk', 'jsend', 'problem'];

/** Every preset and variant, for render + serialize: `{ id, preset, options }`. */
const FORMATS = [
  ...PRESETS.filter((p) => p !== 'wispanel').map((preset) => ({ id: preset, preset, options: {} })),
  ...['panel', 'portal', 'license', 'lean', 'bare'].map((variant) => ({
    id: `wispanel:${variant}`,
    preset: 'wispanel',
    options: { variant },
  })),
];

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

/** requestId(idOptions) + envelope(preset) + errorHandler() around `route`. */
function enveloped(preset, route, idOptions) {
  const { requestId, envelope, errorHandler } = lib();
  return app([requestId(idOptions), envelope(preset)], route, [errorHandler()]);
}

/** The one-middleware path: envelope(preset, { requestId: true }) + errorHandler() around `route`. */
function oneMiddleware(preset, route) {
  const { envelope, errorHandler } = lib();
  return app([envelope(preset, { requestId: true })], route, [errorHandler()]);
}

const VARIANTS = [];

/**
 * `label` describes the variant in tables; `status` is what its GET / must answer; `runners` which
 * runners measure it.
 */
function add({ id, label, create, status = 200, requestIdHeader = false, runners = ['timing', 'instructions'] }) {
  VARIANTS.push({ id, label, create, status, requestIdHeader, runners });
}

for (const { name, value } of Object.values(PAYLOADS)) {
  if (name === 'small') {
    add({ id: 'small/ceiling', label: 'node:http + JSON.stringify (ceiling)', create: () => ceiling(value), runners: ['timing'] });
  }
  // The 10 kB list is timed only: its render cost is counted by the render cases, and its extra
  // JSON.stringify only dilutes the ratios of the 200 B object.
  const runners = name === 'small' ? ['timing', 'instructions'] : ['timing'];
  add({ id: `${name}/bare`, label: 'bare Express 5 res.json', create: () => app([], sending(value)), runners });
  if (name === 'small') {
    add({
      id: 'small/handwritten',
      label: 'hand-written id + ALS + inline VBAPI envelope',
      create: () => handwritten(value),
      requestIdHeader: true,
      runners,
    });
  }
  for (const preset of PRESETS) {
    add({
      id: `${name}/${preset}`,
      label: `requestId()+envelope('${preset}')+errorHandler()`,
      create: () => enveloped(preset, sending(value)),
      requestIdHeader: true,
      runners,
    });
  }
  for (const preset of PRESETS) {
    add({
      id: `${name}/one/${preset}`,
      label: `envelope('${preset}', { requestId: true })+errorHandler()`,
      create: () => oneMiddleware(preset, sending(value)),
      requestIdHeader: true,
      runners,
    });
  }
}

// The success path taken apart, one piece more at each step (instruction counts only: time cannot
// resolve steps of 2–5 %). Each step is the package's own middleware with an option, not a copy.
const small = PAYLOADS.small.value;
const idAlone = (options) => () => app([lib().requestId(options)], sending(small));
add({
  id: 'parts/id',
  label: 'requestId({ setHeader: false, asyncContext: false })',
  create: idAlone({ setHeader: false, asyncContext: false }),
  runners: ['instructions'],
});
add({
  id: 'parts/header',
  label: 'requestId({ asyncContext: false })',
  create: idAlone({ asyncContext: false }),
  requestIdHeader: true,
  runners: ['instructions'],
});
add({ id: 'parts/als', label: 'requestId()', create: idAlone(), requestIdHeader: true, runners: ['instructions'] });
add({
  id: 'parts/vbapi-no-als',
  label: "requestId({ asyncContext: false })+envelope('vbapi')+errorHandler()",
  create: () => enveloped('vbapi', sending(small), { asyncContext: false }),
  requestIdHeader: true,
  runners: ['instructions'],
});

add({
  id: 'error/ours-vbapi',
  label: "requestId()+envelope('vbapi')+errorHandler()",
  create: () => enveloped('vbapi', throwing),
  status: 404,
  requestIdHeader: true,
});
add({
  id: 'error/ours-problem',
  label: 'errorHandler() (problem)',
  create: () => app([], throwing, [lib().errorHandler()]),
  status: 404,
  requestIdHeader: true,
});
add({
  id: 'error/strong-error-handler',
  label: 'strong-error-handler({ debug: false, log: false })',
  create: () => app([], throwing, [require('strong-error-handler')({ debug: false, log: false })]),
  status: 404,
});

// The least any error handler can do after Express caught the error: the status and an empty body.
// Not a competitor (no body, no id): it shows how much of the error path no handler can change.
// Express tells an error handler by its four parameters, so `_next` stays though unused.
// eslint-disable-next-line @typescript-eslint/no-unused-vars
function floorHandler(err, _req, res, _next) {
  res.statusCode = err.status;
  res.end();
}
add({
  id: 'error/floor',
  label: 'the floor: res.statusCode = err.status; res.end()',
  create: () => app([], throwing, [floorHandler]),
  status: 404,
  runners: ['instructions'],
});

/**
 * Groups compare their members with a baseline by cost (instructions, or CPU time, per request):
 * "× baseline" is the member's cost over the baseline's. A target caps that ratio for `of`.
 */
const ERROR_TARGET = 1 / 1.15;
const GROUPS = [
  ...Object.values(PAYLOADS).map(({ name, label }) => ({
    id: `success-${name}`,
    title: `Success path, ${label}`,
    baseline: `${name}/bare`,
    members: VARIANTS.filter((v) => v.id.startsWith(`${name}/`)).map((v) => v.id),
    // The one-middleware path (envelope(preset, { requestId: true })) is what an app needs at least.
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
    title: 'Success path piece by piece (vbapi, 200 B object)',
    instructionsOnly: true,
    baseline: 'small/bare',
    members: ['small/bare', 'parts/id', 'parts/header', 'parts/als', 'small/vbapi', 'parts/vbapi-no-als'],
  },
  {
    id: 'error',
    title: "Error path, a thrown createError(404, 'Client not found')",
    baseline: 'error/strong-error-handler',
    members: ['error/strong-error-handler', 'error/ours-vbapi', 'error/ours-problem', 'error/floor'],
    target: {
      max: ERROR_TARGET,
      of: ['error/ours-vbapi', 'error/ours-problem'],
      text: '≤ 1/1.15 × strong-error-handler (1.15 × as cheap)',
    },
  },
];

/** Render + serialize must stay within this multiple of JSON.stringify(payload). */
const RENDER_TARGET = 1.05;

/** The memory check's server: mixed successes and thrown errors, plus an uncounted /__heap probe. */
function memoryApp() {
  const { requestId, envelope, errorHandler } = lib();
  const instance = express()();
  instance.get('/__heap', (_req, res) => {
    // Two passes: the first may only promote what the second frees.
    globalThis.gc();
    globalThis.gc();
    res.json(process.memoryUsage());
  });
  instance.use(requestId());
  instance.use(envelope('vbapi'));
  instance.get('/ok', sending(PAYLOADS.small.value));
  instance.get('/err', throwing);
  instance.use(errorHandler());
  return instance;
}

/** The request listener of a variant (or of the `memory` app), by id. */
async function createListener(id) {
  if (id === 'memory') return memoryApp();
  const variant = VARIANTS.find((v) => v.id === id);
  if (!variant) throw new Error(`unknown variant "${id}"`);
  return variant.create();
}

/**
 * Render + serialize alone, as the engine does it (lib/fast-text.ts renderText: the spliced text, or
 * render() then serialize()), for every preset and variant, against JSON.stringify(payload): every
 * case `{ id: 'small/vbapi', payload, name, fn }`; `name` is a format id or 'JSON.stringify'.
 */
function renderCases() {
  const { resolveFormat } = require('../dist/cjs/lib/registry');
  const { renderText } = require('../dist/cjs/lib/fast-text');
  const ctx = { requestId: randomUUID(), instance: '/clients', debug: false };
  const settings = {};
  const cases = [];
  for (const { name: payload, value: data } of Object.values(PAYLOADS)) {
    cases.push({ id: `${payload}/JSON.stringify`, payload, name: 'JSON.stringify', fn: () => JSON.stringify(data) });
    for (const { id, preset, options } of FORMATS) {
      const format = resolveFormat(preset, options);
      // A fresh outcome each time, as a request makes one.
      cases.push({
        id: `${payload}/${id}`,
        payload,
        name: id,
        fn: () => renderText(format, { kind: 'success', status: 200, data }, ctx, settings)[1],
      });
    }
  }
  return cases;
}

/** Render operations counted under valgrind, by payload (warm-up, end): about 0.1 G instructions. */
const RENDER_COUNTS = { small: [10000, 15000], list: [1000, 1500] };

/**
 * When a timing run is published (bench/time.js): both calibration readings (the ceiling and bare
 * Express, before and after the rounds) reach QUIET_FRACTION of the machine's quiet figure, differ
 * by at most MAX_DRIFT, and CPU steal stays at most MAX_STEAL percent; a machine with no quiet
 * figure must also start idle (1-minute load average per core at most IDLE_LOAD_PER_CORE).
 */
const CALIBRATION = { QUIET_FRACTION: 0.85, MAX_STEAL: 5, MAX_DRIFT: 0.15, IDLE_LOAD_PER_CORE: 0.35, KEEP: 5 };

module.exports = { PAYLOADS, PRESETS, FORMATS, VARIANTS, GROUPS, RENDER_TARGET, RENDER_COUNTS, CALIBRATION, createListener, renderCases };
