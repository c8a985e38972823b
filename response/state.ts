// Per-response state, kept beside the response rather than on it.
//
// Express swaps the prototype of every req and res (Object.setPrototypeOf, per request), and after
// that V8 handles each property write to them on a slow path: about 3–5 µs a write on the 2-core
// machine of docs/internals/benchmarks.md, against about 0.3 µs for a WeakMap entry. So the package writes
// nothing to `res` itself on the success path; it keeps what it must remember here.

import type { Outcome } from '../lib/outcome';
import type { Responder } from './types';

/**
 * One envelope() a response passed, innermost first. `proto` is the response prototype of the
 * Express app whose envelope() it was (`null` on Connect, where the scope is the whole response):
 * when a request falls out of a sub-app, Express puts the parent's prototype back, and the scope is
 * then left behind.
 */
export interface Scope {
  responder: Responder;
  proto: object | null;
  outer: Scope | undefined;
}

/** The envelopes a response has passed, innermost first. */
export const scopes = new WeakMap<object, Scope>();

/** True while the response is still inside the app whose envelope() made the scope. */
function inside(res: object, scope: Scope): boolean {
  const proto = scope.proto;
  if (proto === null) return true;
  for (let p = Object.getPrototypeOf(res) as object | null; p !== null; p = Object.getPrototypeOf(p) as object | null) {
    if (p === proto) return true;
  }
  return false;
}

/** The envelope for a body the app writes now: the innermost one whose app the request is still in. */
export function currentResponder(res: object): Responder | undefined {
  for (let scope = scopes.get(res); scope !== undefined; scope = scope.outer) {
    // The common case: the request is in the very app whose envelope() ran last.
    if (scope.proto === null || scope.proto === Object.getPrototypeOf(res) || inside(res, scope)) return scope.responder;
  }
  return undefined;
}

/**
 * The envelope for an error: the innermost one the request passed, left or not. An error raised in
 * an enveloped sub-app reaches the parent's errorHandler() after Express has put the parent's
 * prototype back, and it keeps the sub-app's envelope.
 */
export function errorResponder(res: object): Responder | undefined {
  return scopes.get(res)?.responder;
}

/** The kind of outcome respond() wrote on a response. */
export const outcomes = new WeakMap<object, Outcome['kind']>();

/** The W3C trace id of a request, when requestId({ traceparent: true }) found a valid one. */
export const traceIds = new WeakMap<object, string>();

/** Request ids, for the `req.id` accessor below. */
const requestIds = new WeakMap<object, string>();

function getId(this: object): string | undefined {
  return requestIds.get(this);
}

function setId(this: object, id: string): void {
  requestIds.set(this, id);
}

/**
 * The request's id as `req.id` reads it, looked up beside the request first: on Express, reading a
 * property of `req` is itself costly (its prototype is new on every request), the WeakMap is not.
 */
export function requestIdFor(req: object): unknown {
  return requestIds.get(req) ?? (req as { id?: unknown }).id;
}

/** Requests given an id by the package whose `id` is an own property (Connect): see hasGivenId(). */
const givenOwn = new WeakSet<object>();

/**
 * True when the package (requestId() or an envelope()) already gave this request its id. Unlike
 * requestIdFor(), it never reads `req.id`, so an id some other code set is not seen.
 */
export function hasGivenId(req: object): boolean {
  return requestIds.has(req) || givenOwn.has(req);
}

/**
 * Sets `req.id`. On Express, `id` becomes an accessor on the app's own request prototype
 * (`app.request`, which its sub-apps chain to), backed by a WeakMap: after Express has swapped a
 * request's prototype, V8 writes a new property to it on a slow path that costs as much as a
 * whole middleware (docs/internals/benchmarks.md). Reading and assigning `req.id` work as before, from any
 * code. On Connect, and on any request whose app is not known, the property is written as usual.
 */
export function setRequestId(req: object, id: string): void {
  const proto = Object.getPrototypeOf(req) as { app?: { request?: unknown }; id?: unknown } | null;
  if (proto !== null && proto.app !== undefined && proto.app.request === proto) {
    if (!Object.prototype.hasOwnProperty.call(proto, 'id')) {
      Object.defineProperty(proto, 'id', { get: getId, set: setId, configurable: true, enumerable: false });
    }
    if (!Object.prototype.hasOwnProperty.call(req, 'id')) {
      requestIds.set(req, id);
      return;
    }
  }
  (req as { id?: string }).id = id;
  givenOwn.add(req);
}
