// The outcome model: what a response means, before any format decides how it looks.

import type { PackageText } from './catalogs';
import { EnvelopeError } from './errors';
import { type FormatKeys, type Reader, keysProblem, readerFromKeys } from './formats/read';

export type { FormatKeys, Reader } from './formats/read';

/** One validation problem, free of the submitted value. `path` uses dots: `user.name`, `items.0.id`. */
export interface Issue {
  path: string;
  message: string;
  location?: 'body' | 'query' | 'params' | 'headers' | 'cookies';
}

export interface SuccessOutcome {
  kind: 'success' | 'info';
  /** The HTTP status the handler meant (`res.statusCode`, 200 by default). */
  status: number;
  data: unknown;
  action?: string;
  message?: string;
  meta?: Record<string, unknown>;
}

export interface ErrorOutcome {
  kind: 'error';
  /** 400..599 */
  status: number;
  /** Already safe to show to the client. */
  message: string;
  /** An explicit code only; formats derive their own defaults. */
  code?: string;
  action?: string;
  actor?: string;
  details?: Issue[];
  /** How many issues were left out of `details` (it keeps the first 100); the texts end `and N more`. */
  moreIssues?: number;
  data?: unknown;
  /** An absolute URI only. */
  type?: string;
  returnQuestion?: unknown;
  /** Route not found, unparseable/oversized/unsupported body, rate limited, any 5xx. */
  hard: boolean;
  /** Came from a validation failure (an adapter, or a body parse error). */
  validation: boolean;
  /** The error's stack, present only when debug output is on. */
  stack?: string;
  /**
   * Which of the package's own texts `message` holds (`'generic'`: the status's generic message),
   * so a format can write it in the request's language (`RenderContext.locale`). Absent for the
   * application's own messages.
   */
  packageText?: PackageText;
}

export type Outcome = SuccessOutcome | ErrorOutcome;

/**
 * A format's bodies as TypeScript types, written once in its module: `success` may use
 * `this['payload']` (the success payload's type) and `this['variant']` (a variant's name), passed
 * to a generic type (`this` is not available inside an object type written in place). A format
 * with variants narrows `variant` to their names and may name the one it renders by default as
 * `defaultVariant`.
 * @example
 * interface MineSuccess<T> { ok: true; result: T }
 * interface MineBodies extends Bodies { success: MineSuccess<this['payload']>; error: { ok: false; failed: string } }
 */
export interface Bodies {
  payload: unknown;
  variant: string;
  success: unknown;
  error: unknown;
}

declare const BODIES: unique symbol;

/** A format whose factory declares its bodies' types (compile-time only: nothing is set at run time). */
export interface Typed<B extends Bodies> {
  readonly [BODIES]?: B;
}

/** A preset's documented examples: outcomes and the exact status and body each renders to. */
export interface Examples {
  preset: string;
  examples: readonly {
    title: string;
    /** A variant's name, for a preset with variants. */
    variant?: string;
    outcome: Outcome;
    status: number;
    body: unknown;
  }[];
}

/** A JSON Schema (2020-12) document. */
export type JsonSchema = Record<string, unknown>;

export interface RenderContext {
  requestId: string;
  /** `req.originalUrl` without its query string. */
  instance: string;
  debug: boolean;
  /**
   * The language negotiated for an error response when `envelope()`/`errorHandler()` have
   * `locales` (one of them, as spelled there); `undefined` otherwise, and for successes.
   */
  locale?: string;
  /**
   * The trace id of the request: the active OpenTelemetry span's, else the one `requestId({
   * traceparent: true })` read; `undefined` when there is none. Worked out only when read.
   */
  traceId?: string;
}

export interface Rendered {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/**
 * @internal Not part of the published types: the presets declare it for the text fast path
 * (lib/fast-text.ts); a custom format is rendered and serialized on every response.
 *
 * Where a format puts a success payload, declared on the format as `payload`:
 * - `'body'`: the payload is the body (problem details' successes);
 * - `'slot'`: under one key of the envelope (`{ data: payload, … }`);
 * - `'spread'`: a plain object's keys beside the envelope's own (`{ status: 'OK', ...payload }`), any
 *   other value under one key.
 * A format declares it only when a success body without `action`, `message` or `meta` depends on
 * nothing but the outcome's kind, status and data and the context's request id, instance and debug.
 */
export type PayloadPlacement = 'body' | 'slot' | 'spread';

export interface Format {
  name: string;
  render(outcome: Outcome, ctx: RenderContext): Rendered;
  /** JSON Schema 2020-12 of the success and error bodies; `data` narrows the success payload. */
  schemas(data?: JsonSchema): { success: JsonSchema; error: JsonSchema };
  /**
   * The message shown for an error whose own message is not exposed. Defaults to the status title.
   * Called on its own, not on the format (`this: void`).
   */
  genericMessage?(this: void, status: number): string;
  /**
   * @internal Where a success payload sits in a preset's body (see `PayloadPlacement`), so the
   * engine can splice `JSON.stringify(payload)` into cached text instead of building the body. Not
   * in the published types; a format without it is rendered and serialized on every response,
   * with the same result.
   */
  payload?: PayloadPlacement;
  /**
   * Reads this format's bodies back (`express-envelope/client` decodes with it): a body and its
   * status → success or failure, message, code, issues, data, request id. Every preset has one;
   * `defineFormat()` derives one from `keys` when a format declares them instead.
   */
  read?: Reader;
  /** Where this format keeps each part of a body, for `defineFormat()` to derive `read` from. */
  keys?: FormatKeys;
}

/**
 * Declares a format. It checks the shape once, so a mistake shows when the app starts rather than on
 * the first request. A format that declares `keys` and no `read` gets a reader derived from them, so
 * `express-envelope/client` decodes it as it decodes a preset.
 *
 * @example
 * const mine = defineFormat({
 *   name: 'mine',
 *   render: (o) => ({ status: o.status, body: o.kind === 'error' ? { ok: false, failed: o.message } : { ok: true, result: o.data } }),
 *   schemas: () => ({ success: { type: 'object' }, error: { type: 'object' } }),
 *   keys: { success: ['ok', true], data: 'result', message: 'failed' },
 * });
 */
export function defineFormat<F extends Format>(format: F): F & (F extends { keys: FormatKeys } ? { read: Reader } : unknown) {
  const problem =
    format === null || typeof format !== 'object'
      ? 'expects an object with name, render and schemas'
      : typeof format.name !== 'string' || format.name === ''
        ? '`name` must be a non-empty string'
        : typeof format.render !== 'function'
          ? `format "${format.name}" needs a render(outcome, ctx) function`
          : typeof format.schemas !== 'function'
            ? `format "${format.name}" needs a schemas() function`
            : format.read !== undefined && typeof format.read !== 'function'
              ? `format "${format.name}": read must be a function (body, ctx) => reading`
              : format.keys !== undefined
                ? keysProblem(format.keys, format.name)
                : undefined;
  if (problem) throw new EnvelopeError('ERR_ENVELOPE_INVALID_FORMAT', `defineFormat(): ${problem}`);
  if (format.read === undefined && format.keys !== undefined) return { ...format, read: readerFromKeys(format.keys) };
  return format as F & { read: Reader };
}

export function isFormat(value: unknown): value is Format {
  return (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as Format).render === 'function' &&
    typeof (value as Format).schemas === 'function'
  );
}
