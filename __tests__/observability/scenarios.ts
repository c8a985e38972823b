// The preset × scenario matrix the observability suites share: one app mounting every preset, and
// what each scenario must write on the request's span. Used in-process and by the traced child
// process (fixtures/traced-app.ts), which imports nothing else from the tests.

import type { IncomingMessage, ServerResponse } from 'node:http';
import createError from 'http-errors';
import { type ErrorReport, envelope, errorHandler, idempotency, memoryIdempotencyStore, notFound, rateLimit, requestId } from '../../index';
import type { PresetName } from '../../index';

export const PRESETS: PresetName[] = ['vbapi', 'backendResponse', 'wispanel', 'webServiceReturn', 'statusOk', 'jsend', 'problem'];

export const SECRET = 'db-password=hunter2';

export type Scenario =
  | 'success'
  | 'thrown404'
  | 'badRequest'
  | 'validation'
  | 'malformed'
  | 'crash'
  | 'rateLimited'
  | 'conflict'
  | 'soft'
  | 'unknownRoute'
  | 'hidden';

export const SCENARIOS: Scenario[] = [
  'success',
  'thrown404',
  'badRequest',
  'validation',
  'malformed',
  'crash',
  'rateLimited',
  'conflict',
  'soft',
  'unknownRoute',
  'hidden',
];

/** The request each scenario sends, below the preset's prefix. */
export const REQUESTS: Record<Scenario, { method: 'GET' | 'POST'; path: string; body?: string }> = {
  success: { method: 'GET', path: '/ok' },
  thrown404: { method: 'GET', path: '/not-found' },
  badRequest: { method: 'GET', path: '/bad-request' },
  validation: { method: 'GET', path: '/validation' },
  malformed: { method: 'POST', path: '/echo', body: '{"name": ' },
  crash: { method: 'GET', path: '/crash' },
  rateLimited: { method: 'GET', path: '/limited' },
  conflict: { method: 'POST', path: '/pay', body: '{"amount":10}' },
  soft: { method: 'GET', path: '/soft' },
  unknownRoute: { method: 'GET', path: '/nope' },
  hidden: { method: 'GET', path: '/hidden' },
};

/** What the outcome of each scenario is, before a format picks the wire status. */
interface OutcomeFacts {
  status: number;
  hard: boolean;
  validation: boolean;
  issues: number;
  exposed: boolean;
  code?: string;
  /** The class name `error.type` and the exception event carry. */
  errorClass?: string;
  message?: string;
}

export const OUTCOMES: Record<Exclude<Scenario, 'success'>, OutcomeFacts> = {
  thrown404: { status: 404, hard: false, validation: false, issues: 0, exposed: true },
  badRequest: { status: 400, hard: false, validation: false, issues: 0, exposed: true },
  validation: { status: 400, hard: false, validation: true, issues: 2, exposed: true },
  malformed: { status: 400, hard: true, validation: true, issues: 1, exposed: true },
  crash: { status: 500, hard: true, validation: false, issues: 0, exposed: false, errorClass: 'Error', message: SECRET },
  rateLimited: { status: 429, hard: true, validation: false, issues: 0, exposed: true },
  conflict: { status: 409, hard: true, validation: false, issues: 0, exposed: true, code: 'IDEMPOTENCY_KEY_CONFLICT' },
  soft: { status: 409, hard: false, validation: false, issues: 0, exposed: true, code: 'DUPLICATE' },
  unknownRoute: { status: 404, hard: true, validation: false, issues: 0, exposed: true },
  hidden: { status: 401, hard: false, validation: false, issues: 0, exposed: false, errorClass: 'UnauthorizedError', message: SECRET },
};

/** The validation status of the presets that do not answer validation with 400. */
const VALIDATION_STATUS: Partial<Record<PresetName, number>> = { backendResponse: 422, wisphub: 422 };

/** The status on the wire: statusOk answers soft errors with 200, webServiceReturn everything below 500. */
export function wireStatus(preset: PresetName, scenario: Scenario): number {
  if (scenario === 'success') return 200;
  const facts = OUTCOMES[scenario];
  const status = facts.validation ? (VALIDATION_STATUS[preset] ?? 400) : facts.status;
  if (preset === 'webServiceReturn') return status < 500 ? 200 : status;
  if (preset === 'statusOk') return facts.hard ? status : 200;
  return status;
}

export type Attributes = Record<string, string | number | boolean>;

export interface SpanEvent {
  name: string;
  attributes: Attributes;
}

/** What the request's span must say: its status code (0 UNSET, 2 ERROR), attributes and events. */
export interface ExpectedSpan {
  status: 0 | 2;
  attributes: Attributes;
  events: SpanEvent[];
}

/**
 * The span of one preset × scenario. `requestId` is the id the response carried. The stack of an
 * exception event is checked apart (it names this machine's paths): here it is `STACK`.
 */
export const STACK = '<stack>';

export function expectedSpan(preset: PresetName, scenario: Scenario, requestId: string): ExpectedSpan {
  if (scenario === 'success') return { status: 0, attributes: {}, events: [] };
  const facts = OUTCOMES[scenario];
  const wire = wireStatus(preset, scenario);
  const attributes: Attributes = {
    'express_envelope.outcome': 'error',
    'express_envelope.exposed': facts.exposed,
    'express_envelope.validation': facts.validation,
    'express_envelope.issues': facts.issues,
    'express_envelope.soft': wire < 400,
    'express_envelope.request_id': requestId,
  };
  if (facts.code !== undefined) attributes['express_envelope.code'] = facts.code;
  const events: SpanEvent[] = [];
  if (wire >= 500) attributes['error.type'] = facts.errorClass ?? String(wire);
  if (wire >= 500 || !facts.exposed) {
    events.push({
      name: 'exception',
      attributes: { 'exception.type': facts.errorClass!, 'exception.message': facts.message!, 'exception.stacktrace': STACK },
    });
  }
  return { status: wire >= 500 ? 2 : 0, attributes, events };
}

type Req = IncomingMessage & { id?: string; body?: unknown };
type Res = ServerResponse & { json(body?: unknown): Res };
type Next = (err?: unknown) => void;
type Handler = (req: Req, res: Res, next: Next) => unknown;

/** Lets a test hold the idempotent handler: `entered` resolves when it runs, `release()` lets it answer. */
export interface Gate {
  entered: Promise<void>;
  release(): void;
}

export function gate(): Gate {
  let entered!: () => void;
  let release!: () => void;
  const enteredPromise = new Promise<void>((resolve) => (entered = resolve));
  const released = new Promise<void>((resolve) => (release = resolve));
  current = { entered, released };
  return { entered: enteredPromise, release };
}

let current: { entered: () => void; released: Promise<void> } | undefined;

const ROUTES: Record<string, Handler> = {
  '/ok': (_req, res) => res.json({ id: 1, name: 'Example' }),
  '/not-found': () => {
    throw createError(404, 'Client not found');
  },
  '/bad-request': () => {
    throw createError(400, 'Username and password are required');
  },
  '/validation': () => {
    throw createError(400, 'ignored', {
      details: [
        { path: 'service_id', message: 'field required' },
        { path: 'items.0.id', message: 'must be a number' },
      ],
    });
  },
  '/echo': (req, res) => res.json(req.body ?? null),
  '/crash': () => {
    throw new Error(SECRET);
  },
  '/soft': (_req, res) => {
    res.statusCode = 409;
    res.json({ message: 'Already exists', code: 'DUPLICATE' });
  },
  '/hidden': () => {
    throw createError(401, SECRET, { expose: false });
  },
};

export interface AppModules {
  /** `express` (4 or 5), or `connect`. */
  framework: () => { use: (...args: unknown[]) => unknown };
  isConnect: boolean;
  bodyParser: { json(): Handler };
}

export interface AppHooks {
  onError?: (report: ErrorReport) => unknown;
  report?: 'errors' | 'all' | '5xx';
}

/** Calls `handler`, passing a throw or a rejection to `next`, as Express 5 does. */
function safe(handler: Handler): Handler {
  return (req, res, next) => {
    try {
      const result = handler(req, res, next) as { then?: unknown } | undefined;
      if (result && typeof result.then === 'function') (result as Promise<unknown>).then(undefined, next);
    } catch (err) {
      next(err);
    }
  };
}

/** Routes by exact path (method-agnostic) for Connect, and as app.all() on Express. */
function dispatch(routes: Record<string, Handler>): Handler {
  return (req, res, next) => {
    const handler = routes[(req.url ?? '/').split('?')[0]];
    if (handler) safe(handler)(req, res, next);
    else next();
  };
}

/**
 * One app: requestId({ fromSpan: true }), each preset at `/<preset>` over the scenarios' routes,
 * `/problem-traced` (problem with `traceId: true`), notFound() and errorHandler().
 */
export function tracedApp(modules: AppModules, hooks: AppHooks = {}): unknown {
  const app = modules.framework();
  const use = (...args: unknown[]): void => void app.use(...args);
  use(requestId({ fromSpan: true }));
  const mounts: [string, PresetName, Record<string, unknown>][] = PRESETS.map((p) => [`/${p}`, p, {}]);
  mounts.push(['/problem-traced', 'problem', { traceId: true }]);
  for (const [prefix, preset, options] of mounts) {
    use(prefix, envelope(preset, { ...options, ...hooks } as never));
    use(prefix, modules.bodyParser.json());
    use(prefix + '/limited', rateLimit({ limit: 0, validate: false }));
    if (!modules.isConnect) {
      use(prefix + '/pay', idempotency({ store: memoryIdempotencyStore() }), async (_req: Req, res: Res) => {
        const held = current;
        current = undefined;
        if (held) {
          held.entered();
          await held.released;
        }
        res.statusCode = 201;
        res.json({ paid: true });
      });
    }
    use(prefix, dispatch(ROUTES));
  }
  use(notFound());
  use(errorHandler(hooks));
  return app;
}
