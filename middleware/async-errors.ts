// asyncErrors(express): makes Express 4 forward a rejected promise from any handler to next(err),
// as Express 5 does, by patching that copy of Express's router Layer (see docs/guides/async-errors.md).

import { EnvelopeError } from '../lib/errors';
import type { NextFunction } from '../response/types';

type Handle = (...args: unknown[]) => unknown;

/** Express 4's router layer, as lib/router/layer.js defines it (the parts patched here). */
interface Express4Layer {
  handle: Handle;
  handle_request(req: unknown, res: unknown, next: NextFunction): void;
  handle_error(error: unknown, req: unknown, res: unknown, next: NextFunction): void;
}

/** Marks a Layer prototype already patched, so a second call (or a second copy of this package) is a no-op. */
const PATCHED = Symbol.for('express-envelope.asyncErrors');

/** Passed to then() instead of null, as Express 5's router does: some thenables call it anyway. */
function noop(): void {
  // nothing to do when the promise resolves: the handler answered, or called next(), itself
}

/**
 * Forwards the rejection of what a handler returned, if it is a promise or any thenable. A falsy
 * reason becomes `new Error('Rejected promise')`, Express 5's own text, so it is a plain 500.
 */
function forwardRejection(ret: unknown, next: NextFunction): void {
  if (ret === null || (typeof ret !== 'object' && typeof ret !== 'function')) return;
  const then = (ret as { then?: unknown }).then;
  if (typeof then !== 'function') return;
  then.call(ret, noop, function forwardToNext(error: unknown) {
    next(error || new Error('Rejected promise'));
  });
}

/** Express 4's handle_request, plus the rejection of the handler's return value (router 2's handleRequest). */
function handleRequest(this: Express4Layer, req: unknown, res: unknown, next: NextFunction): void {
  const fn = this.handle;
  if (fn.length > 3) {
    // not a standard request handler
    next();
    return;
  }
  try {
    forwardRejection(fn(req, res, next), next);
  } catch (err) {
    next(err);
  }
}

/** Express 4's handle_error, plus the rejection of the error handler's return value (router 2's handleError). */
function handleError(this: Express4Layer, error: unknown, req: unknown, res: unknown, next: NextFunction): void {
  const fn = this.handle;
  if (fn.length !== 4) {
    // not a standard error handler
    next(error);
    return;
  }
  try {
    forwardRejection(fn(error, req, res, next), next);
  } catch (err) {
    next(err);
  }
}

/** The router Layer prototype of the express module given, found through a router it makes. */
function layerPrototypeOf(express: unknown): Record<PropertyKey, unknown> {
  const Router = (express as { Router?: unknown } | null | undefined)?.Router;
  if (typeof Router !== 'function') {
    throw new EnvelopeError('ERR_ENVELOPE_NOT_EXPRESS', 'asyncErrors(): pass the express module your app uses (the one with express.Router)');
  }
  const router = (Router as () => { use(fn: Handle): unknown; stack?: Array<{ constructor: { prototype: Record<PropertyKey, unknown> } }> })();
  router.use(noop);
  const layer = router.stack?.[0];
  if (!layer) throw new EnvelopeError('ERR_ENVELOPE_NOT_EXPRESS', 'asyncErrors(): express.Router() made a router without a layer stack');
  return layer.constructor.prototype;
}

/**
 * Makes Express 4 forward a rejected promise (or thenable) returned by any handler, middleware or
 * error middleware to `next(err)`, so it reaches `errorHandler()` as on Express 5; a rejection with
 * a falsy value becomes a 500. Call it once with the app's own `express` module, before requests
 * arrive. It patches only that copy of Express's router Layer. On Express 5 (which does this
 * itself) it changes nothing; a second call changes nothing either.
 * @returns The express module given, so it can wrap the require.
 * @example
 * const express = require('express');
 * asyncErrors(express);
 * app.get('/x', async () => { throw createError(404); }); // → 404 in the envelope
 */
export function asyncErrors<T>(express: T): T {
  const proto = layerPrototypeOf(express);
  if (proto[PATCHED]) return express;
  // Express 5's router (router 2) has handleRequest/handleError and already handles promises.
  if (typeof proto.handle_request !== 'function' || typeof proto.handle_error !== 'function') return express;
  Object.defineProperty(proto, PATCHED, { value: true });
  proto.handle_request = handleRequest;
  proto.handle_error = handleError;
  return express;
}
