// The package's own errors: misconfiguration found when middleware is made, and programming errors
// found while rendering. Each code has a section in docs/reference/error-codes.md.

export type EnvelopeErrorCode =
  | 'ERR_ENVELOPE_UNKNOWN_OPTION'
  | 'ERR_ENVELOPE_INVALID_OPTION'
  | 'ERR_ENVELOPE_UNKNOWN_FORMAT'
  | 'ERR_ENVELOPE_INVALID_FORMAT'
  | 'ERR_ENVELOPE_RESERVED_KEY'
  | 'ERR_ENVELOPE_UNSERIALIZABLE'
  | 'ERR_ENVELOPE_INVALID_STATUS'
  | 'ERR_ENVELOPE_INVALID_RENDER'
  | 'ERR_ENVELOPE_HEADERS_SENT'
  | 'ERR_ENVELOPE_NOT_ENVELOPED'
  | 'ERR_ENVELOPE_HOOK_FAILED'
  | 'ERR_ENVELOPE_NOT_EXPRESS'
  | 'ERR_ENVELOPE_INVALID_CATALOG';

export class EnvelopeError extends Error {
  readonly code: EnvelopeErrorCode;

  constructor(code: EnvelopeErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EnvelopeError';
    this.code = code;
  }
}
