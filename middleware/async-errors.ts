// asyncErrors(express): makes Express 4 forward a rejected promise from any handler or param
// callback to next(err), as Express 5 does, by patching that copy of Express's router Layer and its
// router's param() (see docs/guides/async-errors.md).

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

/** Express 4's router.process_params(layer, called, req, res, done), which calls the param callbacks. */
type ProcessParams = (
  this: { params?: Record<string, unknown> },
  layer: { keys?: Array<{ name: string }> } | undefined,
  ...rest: unknown[]
) => unknown;

/** Param callbacks already made promise-aware, so one is never wrapped twice. */
const awareParams = new WeakSet<Handle>();

/**
 * A param callback (`app.param(name, fn)`, `router.param(name, fn)`) whose returned promise's
 * rejection goes to its `next`, as router 2's callParam does it. A synchronous throw is left to
 * Express 4's own `try`, which hands it to the same `next`.
 */
function promiseAwareParam(fn: Handle): Handle {
  const aware = function param(this: unknown, req: unknown, res: unknown, next: unknown, value: unknown, name: unknown): void {
    forwardRejection(fn.call(this, req, res, next, value, name), next as NextFunction);
  };
  awareParams.add(aware);
  return aware;
}

/**
 * Express 4's process_params, after making the param callbacks of the layer's keys promise-aware
 * (once each, in the router's own list), whenever they were registered.
 */
function patchProcessParams(original: ProcessParams): ProcessParams {
  return function process_params(this: { params?: Record<string, unknown> }, layer, ...rest) {
    const params = this.params;
    const keys = layer?.keys;
    if (params && Array.isArray(keys)) {
      for (const key of keys) {
        const list = Object.prototype.hasOwnProperty.call(params, key.name) ? params[key.name] : undefined;
        if (!Array.isArray(list)) continue;
        for (let i = 0; i < list.length; i++) {
          const fn: unknown = list[i];
          if (typeof fn === 'function' && !awareParams.has(fn as Handle)) list[i] = promiseAwareParam(fn as Handle);
        }
      }
    }
    return original.call(this, layer, ...rest);
  };
}

/** The router Layer prototype of the express module given, found through a router it makes. */
function layerPrototypeOf(express: unknown): Record<PropertyKey, unknown> {
  const Router = (express as { Router?: unknown } | null | undefined)?.Router;
  if (typeof Router !== 'function') {
    throw new EnvelopeError(
      'ERR_ENVELOPE_NOT_EXPRESS',
      'asyncErrors(): pass the express module your app uses (the one with express.Router)',
    );
  }
  const router = (
    Router as () => { use(fn: Handle): unknown; stack?: Array<{ constructor: { prototype: Record<PropertyKey, unknown> } }> }
  )();
  router.use(noop);
  const layer = router.stack?.[0];
  if (!layer) throw new EnvelopeError('ERR_ENVELOPE_NOT_EXPRESS', 'asyncErrors(): express.Router() made a router without a layer stack');
  return layer.constructor.prototype;
}

/** The prototype of the routers the express module given makes (`app.param` calls its `param`). */
function routerPrototypeOf(express: unknown): Record<PropertyKey, unknown> | null {
  return Object.getPrototypeOf((express as { Router: () => object }).Router()) as Record<PropertyKey, unknown> | null;
}

/**
 * Makes Express 4 forward a rejected promise (or thenable) returned by any handler, middleware,
 * error middleware or param callback to `next(err)`, so it reaches `errorHandler()` as on Express 5; a rejection with
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
  // Express 4 calls param callbacks from its router, not through a Layer.
  const router = routerPrototypeOf(express);
  if (router !== null && typeof router.process_params === 'function')
    router.process_params = patchProcessParams(router.process_params as ProcessParams);
  return express;
}
