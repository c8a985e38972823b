// The payments app the idempotency suites share: a counted handler behind idempotency(), on Express 4 or 5.

import createError from 'http-errors';
import {
  type IdempotencyOptions,
  type IdempotencyStore,
  type PresetName,
  envelope,
  errorHandler,
  idempotency,
  requestId,
} from '../../index';
import { type Flavor, expressOf } from '../helpers/create-app';

type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface PaymentsApp {
  app: Any;
  /** How many times the payment handler ran. */
  runs(): number;
}

export interface PaymentsSpec {
  format?: PresetName;
  formatOptions?: Record<string, unknown>;
  idem?: IdempotencyOptions;
  /** Request id generator; defaults to a counter (`req-1`, `req-2`, …) so each request has its own. */
  ids?: () => string;
  /** Lets the test hold the handler (it awaits this before answering). */
  gate?: () => Promise<void>;
}

let counter = 0;

/**
 * POST /payments answers 201 with a Location and the new payment; `?status=` lets a test choose
 * another status, `?big=` a body of that many bytes, `?stream=1` a streamed body. A request with
 * `X-Oracle: <status>:<code>` is refused before idempotency() with the same kind of error a refusal
 * is, so a test can compare a refusal with what errorHandler() renders for it.
 */
export function paymentsApp(flavor: Flavor, spec: PaymentsSpec = {}): PaymentsApp {
  const express = expressOf(flavor) as Any;
  const app = express();
  let runs = 0;
  app.use(requestId({ generator: spec.ids ?? (() => `req-${++counter}`) }));
  app.use(express.json());
  app.use(envelope(spec.format ?? 'wispanel', spec.formatOptions as never));
  app.use((req: Any, _res: unknown, next: (err?: unknown) => void) => {
    const oracle = req.headers['x-oracle'];
    if (typeof oracle !== 'string') return next();
    const [status, code] = oracle.split(':');
    const messages: Record<string, string> = {
      IDEMPOTENCY_KEY_MISSING: 'This request needs an Idempotency-Key header',
      IDEMPOTENCY_KEY_INVALID: 'The Idempotency-Key header must be 1 to 255 characters of A-Z a-z 0-9 - _ . : = + /',
      IDEMPOTENCY_KEY_CONFLICT: 'A request with this Idempotency-Key is still being processed; retry later',
      IDEMPOTENCY_KEY_MISMATCH: 'This Idempotency-Key was already used with a different request',
      IDEMPOTENCY_STORE_UNAVAILABLE: 'Idempotency keys cannot be checked right now; retry later',
    };
    next(createError(Number(status), messages[code], { code, hard: true, expose: true }));
  });
  app.use(idempotency({ log: false, ...spec.idem }));
  app.post('/payments', async (req: Any, res: Any, next: (err?: unknown) => void) => {
    runs++;
    if (spec.gate) await spec.gate();
    const status = Number(req.query.status ?? 201);
    if (req.query.stream) {
      res.status(200).type('text/plain');
      res.write('part 1,');
      res.end('part 2');
      return;
    }
    if (status >= 400) {
      next(
        createError(status, status === 402 ? 'Card declined' : 'Payment failed', { code: status === 402 ? 'CARD_DECLINED' : undefined }),
      );
      return;
    }
    res.status(status).location(`/payments/${runs}`).set('X-Payment-Id', `pay_${runs}`);
    res.json({ id: runs, amount: req.body?.amount ?? null, note: req.query.big ? 'x'.repeat(Number(req.query.big)) : 'ok' });
  });
  app.patch('/payments/:id', (req: Any, res: Any) => {
    runs++;
    res.json({ id: Number(req.params.id), amount: req.body?.amount ?? null });
  });
  app.get('/payments', (_req: unknown, res: Any) => {
    runs++;
    res.json([]);
  });
  app.use(errorHandler({ log: false }));
  return { app, runs: () => runs };
}

/** A store whose claim answers by key: `conflict`, `mismatch`, `down`, `hang`; anything else is claimed. */
export function scriptedStore(): IdempotencyStore {
  return {
    claim: async (key, lock) => {
      if (key.endsWith(':conflict')) return { ...lock, token: 'another run' };
      if (key.endsWith(':mismatch'))
        return { state: 'done', fingerprint: 'another payload', response: { status: 201, headers: [], body: '' } };
      if (key.endsWith(':down')) throw new Error('connect ECONNREFUSED 10.0.3.7:6379');
      if (key.endsWith(':hang')) return new Promise(() => undefined);
      return null;
    },
    finish: async () => true,
    release: async () => undefined,
  };
}
