// The client's errors: a body that does not fit its preset, a failure unwrapped, and misuse.

import type { DecodedFailure, DecodedIssue } from './types';

/** A response body that does not fit the preset it was decoded with (`ERR_ENVELOPE_DECODE`). */
export class EnvelopeDecodeError extends Error {
  readonly code = 'ERR_ENVELOPE_DECODE';
  /** The HTTP status of the response. */
  readonly status: number;
  /** The preset (and variant) the body was read with. */
  readonly preset: string;
  /** What did not fit, e.g. `"ok" must be a boolean`. */
  readonly reason: string;

  constructor(preset: string, status: number, reason: string, options?: { cause?: unknown }) {
    super(`express-envelope/client: the ${preset} body of an HTTP ${status} response does not fit: ${reason}`, options);
    this.name = 'EnvelopeDecodeError';
    this.preset = preset;
    this.status = status;
    this.reason = reason;
  }
}

/** A failure turned into an exception by `unwrap()`; it carries everything the failure said. */
export class EnvelopeResponseError extends Error {
  readonly status: number;
  readonly code: string | undefined;
  readonly issues: DecodedIssue[];
  readonly requestId: string | undefined;
  readonly retryAfter: number | undefined;
  readonly data: unknown;
  readonly action: string | undefined;

  constructor(failure: DecodedFailure) {
    super(failure.message);
    this.name = 'EnvelopeResponseError';
    this.status = failure.status;
    this.code = failure.code;
    this.issues = failure.issues;
    this.requestId = failure.requestId;
    this.retryAfter = failure.retryAfter;
    this.data = failure.data;
    this.action = failure.action;
  }
}

/** A mistake in the calling code (unknown preset, option or variant): a TypeError with a stable code. */
export function misuse(code: string, message: string): TypeError {
  return Object.assign(new TypeError(`express-envelope/client: ${message}`), { code });
}
