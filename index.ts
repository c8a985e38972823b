// The public surface of express-envelope: re-exports only, plus the typing of req and res.

import type {} from 'express-serve-static-core';
import type { SuccessExtras } from './middleware/envelope';

export { envelope } from './middleware/envelope';
export type { EnvelopeOptions, EnvelopeMiddleware, SuccessExtras } from './middleware/envelope';
export { errorHandler } from './middleware/error-handler';
export type { ErrorHandlerOptions, ErrorHandlerMiddleware } from './middleware/error-handler';
export { notFound } from './middleware/not-found';
export type { NotFoundOptions, NotFoundMiddleware } from './middleware/not-found';
export { requestId } from './middleware/request-id';
export type { RequestIdOptions, RequestIdMiddleware } from './middleware/request-id';
export { rateLimit, DEFAULT_RATE_LIMIT_MESSAGE } from './middleware/rate-limit';
export type { RateLimitOptions, RateLimitMiddleware } from './middleware/rate-limit';
export { requestWasSuccessful, responseOutcome } from './middleware/response-outcome';
export { validate } from './middleware/validate';
export type { RunnableChain, ValidateMiddleware } from './middleware/validate';
export { stderrLogger } from './middleware/log';
export type { LogEntry, Logger } from './middleware/types';

export { currentRequestId } from './lib/context';
export { defineFormat } from './lib/outcome';
export type {
  ErrorOutcome,
  Format,
  Issue,
  JsonSchema,
  Outcome,
  RenderContext,
  Rendered,
  SuccessOutcome,
} from './lib/outcome';
// Where a custom format's success payload sits, for its optional `payload` member (the text fast path).
export type { PayloadPlacement } from './lib/outcome';
export { EnvelopeError } from './lib/errors';
export type { EnvelopeErrorCode } from './lib/errors';
export { toErrorOutcome, isHttpErrorLike } from './lib/error-outcome';
export type { IssueFormatter } from './lib/error-outcome';
export { validationFailure } from './lib/validation';
export type { IssueSource, ValidationFailure } from './lib/validation';
export { RequestValidationError } from './lib/validation/request-validation-error';
export type { MessageOptions, PresetMessages } from './lib/formats/messages';
export { resolveFormat, PRESET_NAMES } from './lib/registry';
export type { PresetName, PresetOptions } from './lib/registry';
export { serialize } from './lib/serialize';
export { backendResponse } from './lib/formats/backend-response';
export { jsend } from './lib/formats/jsend';
export { problem } from './lib/formats/problem';
export { statusOk } from './lib/formats/status-ok';
export { vbapi } from './lib/formats/vbapi';
export { webServiceReturn } from './lib/formats/web-service-return';
export { wispanel, wispanelCode } from './lib/formats/wispanel';
export type { WispanelOptions, WispanelVariant } from './lib/formats/wispanel';

declare module 'express-serve-static-core' {
  interface Request {
    /** The request id, set by requestId() (or by envelope() when requestId() is not mounted). */
    id?: string;
  }
  interface Response {
    /**
     * Sends `data` as a success in the envelope chosen by envelope(); on a response no envelope()
     * has seen, `data` as it is.
     */
    success(data?: unknown, extras?: SuccessExtras): this;
    /** Sends `data` as an informational success (WispHub's `type: "info"`), else as a success. */
    info(data?: unknown, extras?: SuccessExtras): this;
  }
}
