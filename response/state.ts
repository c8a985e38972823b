// Per-response state, kept beside the response rather than on it.
//
// Express swaps the prototype of every req and res (Object.setPrototypeOf, per request), and after
// that V8 handles each property write to them on a slow path: about 3–5 µs a write on the 2-core
// machine of docs/internals/benchmarks.md, against about 0.3 µs for a WeakMap entry. So the package writes
// nothing to `res` itself on the success path, and to `req` only `req.id`, which apps read; it keeps
// what it must remember here.

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

/**
 * The id the package gave each request (requestId() or an envelope()), also written to `req.id`.
 * The package reads it here: on Express, reading a property of `req` is itself costly (its
 * prototype is new on every request), and this is the id the header and async context carry.
 */
const givenIds = new WeakMap<object, string>();

/** The request's id: the one the package gave it, else a `req.id` some other code set. */
export function requestIdFor(req: object): unknown {
  return givenIds.get(req) ?? (req as { id?: unknown }).id;
}

/**
 * True when the package (requestId() or an envelope()) already gave this request its id. Unlike
 * requestIdFor(), it never reads `req.id`, so an id some other code set is not seen.
 */
export function hasGivenId(req: object): boolean {
  return givenIds.has(req);
}

/** Gives the request its id: `req.id`, a plain own property as any middleware would write it. */
export function setRequestId(req: object, id: string): void {
  (req as { id?: string }).id = id;
  givenIds.set(req, id);
}

/** Keeps the id the package gave a request without writing `req.id` (a request already answered). */
export function keepRequestId(req: object, id: string): void {
  givenIds.set(req, id);
}
