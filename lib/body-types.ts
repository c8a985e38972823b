// SuccessBody<P, T> and ErrorBody<P>: the bodies each preset sends, as TypeScript types for clients.
// They mirror the formats' JSON Schemas (schemas()); __tests__/types/body-types.ts holds them together.

import type { PresetName } from './registry';
import type { WispanelVariant } from './formats/wispanel';

/** Keys beside the envelope's own: a payload or an exposed error's `data` the type does not know. */
type Extra = { [key: string]: unknown };

/**
 * The keys of a spreading envelope plus the payload's: an object spreads, an array or a scalar goes
 * under the slot `S`, `undefined` adds nothing, and an unknown payload may add any keys.
 */
type Spread<E, T, S extends string> = unknown extends T
  ? E & Extra
  : [T] extends [undefined]
    ? E
    : [T] extends [readonly unknown[]]
      ? E & { [K in S]: T }
      : [T] extends [object]
        ? E & T
        : E & { [K in S]: T };

/** What a slot format sends for the payload: JSON has no `undefined`, so "no data" is `null`. */
type Slot<T> = Exclude<T, undefined> | (undefined extends T ? null : never);

/** vbapi's `debug`: the request id, and the stack only when debug output is on. */
interface VbapiDebug {
  activityId: string;
  stack?: string;
}

interface VbapiSuccess<T> {
  data: Slot<T>;
  error: null;
  debug: VbapiDebug;
}

interface VbapiError {
  data: null;
  error: { type: string; title: string; status: number; detail: string; instance: string };
  debug: VbapiDebug;
}

interface BackendSuccess<T> {
  ok: true;
  type: 'success' | 'info';
  action: string;
  data: Slot<T>;
  message: string | null;
  meta: Record<string, unknown> | null;
}

interface BackendError {
  ok: false;
  type: 'error';
  action: string;
  data: null;
  message: string;
  meta: null;
}

interface PanelSuccess<T> {
  success: true;
  data: Slot<T>;
  meta?: Record<string, unknown>;
}

/** WisPanel's field map of a validation failure: field → its messages. */
type Details = Record<string, string[]>;

interface WispanelSuccess<T> {
  panel: PanelSuccess<T>;
  portal: PanelSuccess<T>;
  license: Spread<{ valid: true }, T, 'data'>;
  lean: PanelSuccess<T>;
  bare: T;
}

interface WispanelError {
  panel: { success: false; code: string; error: string; message: string; status: number };
  portal: { success: false; error: string; code: string; details?: Details };
  license: { valid: false; error: string; code: string; details?: Details };
  lean: { success: false; error: string; code: string };
  bare: { error: string };
}

interface WebServiceReturnHeader<S extends 'wrsSuccess' | 'wrsFailed'> {
  Status: S;
  ErrorCode: string;
  Message: string;
  Actor: string;
  ReturnQuestion: unknown;
}

interface StatusOkError extends Extra {
  status: 'error';
  code: string;
  text: string;
}

interface WebServiceReturnError extends Extra {
  WebServiceReturn: WebServiceReturnHeader<'wrsFailed'>;
}

type JsendError = { status: 'fail'; data: Record<string, string> } | { status: 'error'; message: string; code?: string };

interface ProblemError {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code?: string;
  errors?: { detail: string; pointer: string }[];
  stack?: string;
  /** With the `traceId` option, when the request has a trace. */
  traceId?: string;
}

interface SuccessBodies<T, V extends WispanelVariant> {
  vbapi: VbapiSuccess<T>;
  backendResponse: BackendSuccess<T>;
  wisphub: BackendSuccess<T>;
  wispanel: WispanelSuccess<T>[V];
  webServiceReturn: Spread<{ WebServiceReturn: WebServiceReturnHeader<'wrsSuccess'> }, T, 'Data'>;
  statusOk: Spread<{ status: 'OK' }, T, 'result'>;
  universa: Spread<{ status: 'OK' }, T, 'result'>;
  jsend: { status: 'success'; data: Slot<T> };
  problem: T;
}

interface ErrorBodies<V extends WispanelVariant> {
  vbapi: VbapiError;
  backendResponse: BackendError;
  wisphub: BackendError;
  wispanel: WispanelError[V];
  webServiceReturn: WebServiceReturnError;
  statusOk: StatusOkError;
  universa: StatusOkError;
  jsend: JsendError;
  problem: ProblemError;
}

/**
 * The success body preset `P` sends for a payload of type `T` (what the handler passed to
 * `res.json()` / `res.success()`); `V` picks a WisPanel variant (`'panel'` by default).
 * Spreading presets (statusOk, webServiceReturn, WisPanel license) put a plain-object payload's
 * keys beside their own, and any other payload under their slot (`result`, `Data`, `data`).
 * @example
 * type Client = { id: number; name: string };
 * const body = (await res.json()) as SuccessBody<'vbapi', Client>; // body.data.name: string
 */
export type SuccessBody<P extends PresetName, T = unknown, V extends WispanelVariant = 'panel'> = P extends keyof SuccessBodies<T, V>
  ? SuccessBodies<T, V>[P]
  : unknown;

/**
 * The error body preset `P` sends (thrown errors, validation failures, 404s, 429s, 5xx); `V` picks
 * a WisPanel variant (`'panel'` by default).
 * @example
 * const problem = (await res.json()) as ErrorBody<'problem'>; // problem.detail: string
 *
 * A preset without a declared body type here is `unknown` (a new preset compiles before its types
 * are written).
 */
export type ErrorBody<P extends PresetName, V extends WispanelVariant = 'panel'> = P extends keyof ErrorBodies<V> ? ErrorBodies<V>[P] : unknown;
