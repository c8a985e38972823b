// Per-response state, kept beside the response rather than on it.
//
// Express swaps the prototype of every req and res (Object.setPrototypeOf, per request), and after
// that V8 handles each property write to them on a slow path: about 3–5 µs a write on the 2-core
// machine of docs/performance.md, against about 0.3 µs for a WeakMap entry. So the package writes
// nothing to `res` itself on the success path; it keeps what it must remember here.

import type { Outcome } from '../lib/outcome';
import type { Responder } from './types';

/** The envelope chosen for a response by the innermost envelope() it passed. */
export const responders = new WeakMap<object, Responder>();

/** The kind of outcome respond() wrote on a response. */
export const outcomes = new WeakMap<object, Outcome['kind']>();

/** The W3C trace id of a request, when requestId({ traceparent: true }) found a valid one. */
export const traceIds = new WeakMap<object, string>();
