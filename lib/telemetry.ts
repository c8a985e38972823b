// OpenTelemetry, when the app has it: the API looked up once, and what an error response writes on
// the request's span. No Express here: the middleware hands in plain facts.
//
// `@opentelemetry/api` is an optional peer dependency. Without it, or with no SDK registered (no
// span is ever active then), every function here is a no-op, and nothing is called on the success
// path at all.

/** The few parts of `@opentelemetry/api` used here, typed structurally (it is optional). */
interface SpanContext {
  traceId: string;
  spanId: string;
}
type AttributeValue = string | number | boolean;
export interface TelemetrySpan {
  spanContext(): SpanContext;
  isRecording(): boolean;
  setAttributes(attributes: Record<string, AttributeValue>): unknown;
  setStatus(status: { code: number }): unknown;
  addEvent(name: string, attributes: Record<string, AttributeValue>): unknown;
}
interface ContextApi {
  active(): unknown;
}
interface OtelApi {
  trace: { getSpan(context: unknown): TelemetrySpan | undefined; isSpanContextValid(spanContext: SpanContext): boolean };
  context: ContextApi;
  createContextKey(description: string): symbol;
}
interface ContextWithValues {
  getValue(key: symbol): unknown;
}

/** `SpanStatusCode.ERROR` in `@opentelemetry/api` (a stable number of the specification). */
const STATUS_ERROR = 2;

/** Looks the API up; `undefined` when it is not installed, or is not an API this code can use. */
export function loadOtel(load: () => unknown): OtelApi | undefined {
  try {
    const api = load() as Partial<OtelApi> | null | undefined;
    if (
      api &&
      typeof api.trace?.getSpan === 'function' &&
      typeof api.trace.isSpanContextValid === 'function' &&
      typeof api.context?.active === 'function' &&
      typeof api.createContextKey === 'function'
    ) {
      return api as OtelApi;
    }
  } catch {
    // Not installed: tracing stays off.
  }
  return undefined;
}

// A guarded require, once, at start-up. The ES module entry re-exports the CommonJS build, so this
// one lookup serves both.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const otel = loadOtel(() => require('@opentelemetry/api'));

/**
 * Where `@opentelemetry/instrumentation-http` keeps the HTTP server span in the request's context
 * (`RPCMetadata` of `@opentelemetry/core`; the API makes context keys with `Symbol.for`, so the same
 * key is found from here). Inside an Express middleware the active span is that middleware's own
 * span (`@opentelemetry/instrumentation-express`); what a response means belongs on the server span.
 */
const rpcMetadataKey = otel?.createContextKey('OpenTelemetry SDK Context Key RPC_METADATA');

/** The span an error response is written on: the HTTP server span when known, else the active span. */
export function requestSpan(): TelemetrySpan | undefined {
  if (otel === undefined) return undefined;
  try {
    const context = otel.context.active();
    const metadata = (context as ContextWithValues).getValue(rpcMetadataKey!) as { span?: TelemetrySpan } | undefined;
    return metadata?.span ?? otel.trace.getSpan(context);
  } catch {
    return undefined;
  }
}

/** The trace id of the active span, when there is a valid one. */
export function activeTraceId(): string | undefined {
  const span = requestSpan();
  if (span === undefined) return undefined;
  try {
    const spanContext = span.spanContext();
    return otel!.trace.isSpanContextValid(spanContext) ? spanContext.traceId : undefined;
  } catch {
    return undefined;
  }
}

/** What an error response said, as the span records it. */
export interface ErrorFacts {
  /** The status on the wire. */
  status: number;
  /** The outcome's explicit code, when it has one. */
  code: string | undefined;
  /** Whether the client saw the error's own message. */
  exposed: boolean;
  validation: boolean;
  /** How many issues the outcome had (those left out of `details` included). */
  issues: number;
  requestId: string;
  /** The value thrown, forwarded or sent with `res.status(s).json()`. */
  error: unknown;
  /** The message the client got, for an exception event when `error` is not an Error. */
  message: string;
}

/** The attribute names, in the package's own namespace. */
export const ATTRIBUTES = {
  outcome: 'express_envelope.outcome',
  code: 'express_envelope.code',
  exposed: 'express_envelope.exposed',
  validation: 'express_envelope.validation',
  issues: 'express_envelope.issues',
  soft: 'express_envelope.soft',
  requestId: 'express_envelope.request_id',
} as const;

/** An error's class name: its constructor's, else its `name`; `undefined` for a value that is not an object. */
export function className(error: unknown): string | undefined {
  if (error === null || typeof error !== 'object') return undefined;
  try {
    const ctor = (error as { constructor?: unknown }).constructor;
    if (typeof ctor === 'function' && ctor.name !== '' && ctor !== Object) return ctor.name;
    const name = (error as { name?: unknown }).name;
    return typeof name === 'string' && name !== '' ? name : undefined;
  } catch {
    return undefined;
  }
}

function isErrorObject(error: unknown): error is Error {
  return error instanceof Error || Object.prototype.toString.call(error) === '[object Error]';
}

/** The `exception` event's attributes (OpenTelemetry's exception semantic conventions). */
function exceptionAttributes(facts: ErrorFacts, errorType: string): Record<string, AttributeValue> {
  const { error } = facts;
  if (isErrorObject(error)) {
    const attributes: Record<string, AttributeValue> = { 'exception.type': className(error) ?? errorType };
    const { message, stack } = error;
    if (typeof message === 'string') attributes['exception.message'] = message;
    if (typeof stack === 'string') attributes['exception.stacktrace'] = stack;
    return attributes;
  }
  return { 'exception.type': errorType, 'exception.message': facts.message };
}

/**
 * Writes an error response's outcome on the request's span: the package's attributes always; for a
 * 5xx, span status ERROR and `error.type` (the error's class name, else the status, as the HTTP
 * semantic conventions say); for a 5xx or an unexposed error, one `exception` event with the
 * original error. A 4xx keeps status UNSET. Never throws, whatever the span does.
 */
export function recordError(facts: ErrorFacts, span: TelemetrySpan | undefined = requestSpan()): void {
  if (span === undefined) return;
  try {
    if (!span.isRecording()) return;
    const attributes: Record<string, AttributeValue> = {
      [ATTRIBUTES.outcome]: 'error',
      [ATTRIBUTES.exposed]: facts.exposed,
      [ATTRIBUTES.validation]: facts.validation,
      [ATTRIBUTES.issues]: facts.issues,
      [ATTRIBUTES.soft]: facts.status < 400,
      [ATTRIBUTES.requestId]: facts.requestId,
    };
    if (facts.code !== undefined) attributes[ATTRIBUTES.code] = facts.code;
    const errorType = (isErrorObject(facts.error) ? className(facts.error) : undefined) ?? String(facts.status);
    if (facts.status >= 500) {
      attributes['error.type'] = errorType;
      span.setStatus({ code: STATUS_ERROR });
    }
    span.setAttributes(attributes);
    if (facts.status >= 500 || !facts.exposed) span.addEvent('exception', exceptionAttributes(facts, errorType));
  } catch {
    // A span (or an SDK) that throws must not cost the response, which is already written.
  }
}
