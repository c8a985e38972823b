// The shapes `express-envelope/client` hands back: one decoded response, success or failure.

import type * as READERS from '../lib/readers';
import type { Reader } from '../lib/formats/read';

export type { WispanelVariant } from '../lib/formats/wispanel';
import type { WispanelVariant } from '../lib/formats/wispanel';

/** A preset name or alias the client reads. */
export type ClientPreset = keyof typeof READERS;

/**
 * A format the client reads as it reads a preset: one made with `defineFormat()` (with `read`, or
 * `keys` it derives a reader from), or a preset's own format object.
 */
export interface ClientFormat {
  name: string;
  read?: Reader;
}

/** One validation problem the body keeps apart: a dotted path (`items.0.id`) and its message. */
export interface DecodedIssue {
  path: string;
  message: string;
}

/** A response the envelope calls a success (`ok` follows the envelope, not the HTTP status). */
export interface DecodedSuccess<T = unknown> {
  ok: true;
  /** `'info'` only where the envelope says so (WispHub's `type: "info"`). */
  kind: 'success' | 'info';
  /** The HTTP status. */
  status: number;
  /**
   * The payload; for a spreading preset, the object of the keys beside the envelope's own, or the
   * array or scalar sent under its slot (`result`, `Data`, WisPanel license's `data`).
   */
  data: T;
  /** From the body's slot (`vbapi`'s `debug.activityId`), else from the `X-Request-Id` header. */
  requestId?: string;
  /** Pagination and the like: the body's `meta`, or `vbapi`'s `X-Pagination` header. */
  meta?: Record<string, unknown>;
  /** WispHub's action (`client_found`). */
  action?: string;
  /** A success message, where the envelope carries a non-empty one. */
  message?: string;
  /** With `envelopeFetch()`'s `retry`: how many requests this result took (1 when the first was final). */
  attempts?: number;
}

/**
 * A response the envelope calls a failure, whatever its HTTP status. `C` narrows `code` to the codes
 * an API declares (an error catalog's), so a misspelled code does not compile.
 */
export interface DecodedFailure<C extends string = string> {
  ok: false;
  kind: 'error';
  /** The HTTP status (200 for `webServiceReturn`'s and `statusOk`'s business errors). */
  status: number;
  /** The envelope's code: `code`, `ErrorCode`, a problem's `code`, else its `type` when not `about:blank`. */
  code?: C;
  /** The text the envelope shows for the failure. */
  message: string;
  /** The issues the body keeps apart (jsend fail data, problem `errors`, WisPanel `details`), else `[]`. */
  issues: DecodedIssue[];
  requestId?: string;
  /** Seconds to wait, from `Retry-After`. */
  retryAfter?: number;
  /** Keys an error body carries beside the envelope's own (`statusOk`, `webServiceReturn`), or jsend's error data. */
  data?: unknown;
  /** WispHub's action (`client_not_found`). */
  action?: string;
  /** With `envelopeFetch()`'s `retry`: how many requests this result took (1 when the first was final). */
  attempts?: number;
}

export type Decoded<T = unknown, C extends string = string> = DecodedSuccess<T> | DecodedFailure<C>;

/** Header access the decoder accepts: a fetch `Headers`, or a plain record (any letter case). */
export type HeaderSource = { get(name: string): string | null } | Record<string, string | string[] | number | undefined>;

/** A response to decode: its HTTP status, its headers, and its body already parsed. */
export interface EnvelopeResponse {
  status: number;
  headers?: HeaderSource;
  /** The parsed JSON body; `undefined` for an empty body. */
  body: unknown;
}

export interface DecodeOptions {
  /**
   * WisPanel's shape; only with the `'wispanel'` preset. Defaults to `'panel'`.
   * @example decode('wispanel', response, { variant: 'portal' })
   */
  variant?: WispanelVariant;
  /**
   * The header that carries the request id where the body has no slot for it. Defaults to `'X-Request-Id'`.
   * @example decode('jsend', response, { requestIdHeader: 'X-Correlation-Id' })
   */
  requestIdHeader?: string;
}
