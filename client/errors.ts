// The client's errors: a body that does not fit its preset, a failure unwrapped, and misuse.

import type { DecodedFailure, DecodedIssue } from './types';

// Fields are `declare`d: the constructors assign them, so the bundle carries no field definitions.

/** A response body that does not fit the preset it was decoded with (`ERR_ENVELOPE_DECODE`). */
export class EnvelopeDecodeError extends Error {
  declare readonly code: 'ERR_ENVELOPE_DECODE';
  /** The HTTP status of the response. */
  declare readonly status: number;
  /** The preset (and variant) the body was read with. */
  declare readonly preset: string;
  /** What did not fit, e.g. `"ok" must be a boolean`. */
  declare readonly reason: string;

  constructor(preset: string, status: number, reason: string, options?: { cause?: unknown }) {
    super(`express-envelope/client: the ${preset} body of an HTTP ${status} response does not fit: ${reason}`, options);
    this.code = 'ERR_ENVELOPE_DECODE';
    this.name = 'EnvelopeDecodeError';
    this.preset = preset;
    this.status = status;
    this.reason = reason;
  }
}

/** A failure turned into an exception by `unwrap()`; it carries everything the failure said. */
export class EnvelopeResponseError extends Error {
  declare readonly status: number;
  declare readonly code: string | undefined;
  declare readonly issues: DecodedIssue[];
  declare readonly requestId: string | undefined;
  declare readonly retryAfter: number | undefined;
  declare readonly data: unknown;
  declare readonly action: string | undefined;

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
