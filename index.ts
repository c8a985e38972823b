// The public surface of express-envelope: re-exports only, plus the typing of req and res.

import type {} from 'express-serve-static-core';
import type { SuccessExtras } from './middleware/envelope';

// Middleware: each is one line in an app.
// The envelope for the routes below it, and the functions it gives res.
export { envelope } from './middleware/envelope';
export type { EnvelopeOptions, EnvelopeMiddleware, SuccessExtras } from './middleware/envelope';
// The last middleware: every error in the request's envelope.
export { errorHandler } from './middleware/error-handler';
export type { ErrorHandlerOptions, ErrorHandlerMiddleware } from './middleware/error-handler';
// The catch-all after the routes: an unknown route as a hard 404 in the envelope.
export { notFound } from './middleware/not-found';
export type { NotFoundOptions, NotFoundMiddleware } from './middleware/not-found';
// One id per request, in req.id, a header and async context.
export { requestId } from './middleware/request-id';
export type { RequestIdOptions, RequestIdMiddleware } from './middleware/request-id';
// express-rate-limit whose refusal is a 429 in the envelope.
export { rateLimit } from './middleware/rate-limit';
export type { RateLimitOptions, RateLimitMiddleware } from './middleware/rate-limit';
// express-validator chains whose failure is the envelope's validation answer.
export { validate } from './middleware/validate';
export type { RunnableChain, ValidateMiddleware } from './middleware/validate';
// Safe retries: an Idempotency-Key replays the first response instead of running the handler twice.
export { idempotency } from './middleware/idempotency';
export type { IdempotencyOptions, IdempotencyMiddleware } from './middleware/idempotency';
// The default idempotency store, bounded, for one instance.
export { memoryIdempotencyStore } from './lib/idempotency/memory-store';
export type { MemoryIdempotencyStoreOptions } from './lib/idempotency/memory-store';
// The idempotency store shared by many instances (one Redis, Sentinel or a Cluster), through node-redis or ioredis.
export { redisIdempotencyStore } from './lib/idempotency/redis-store';
export type {
  RedisIdempotencyStoreOptions,
  SendCommand,
  SendCommandCluster,
  SendCommandClusterDetails,
} from './lib/idempotency/redis-store';
// What a custom idempotency store implements, and what it keeps.
export type { IdempotencyStore, IdempotencyRecord, StoredResponse, RunningRecord, DoneRecord } from './lib/idempotency/store';
// Express 4 ignores the promise a handler returns: this makes async errors reach errorHandler().
export { asyncErrors } from './middleware/async-errors';

// Reading what the package did, for loggers and limiters that must not judge by status.
export { requestWasSuccessful, responseOutcome } from './response/outcome';
// The request id from anywhere inside the request (a service, a logger mixin).
export { currentRequestId } from './lib/context';
// The default log line, for a logger of your own that also writes it.
export { stderrLogger } from './response/log';
// The `log` option's types.
export type { LogEntry, Logger } from './response/types';
// The `onError` and `report` options' types (errorHandler() and envelope()), for error trackers.
export type { ErrorReport, ObserveOptions, OnError, ReportPolicy } from './response/observe';
// The `locales` and `translate` options' types, for apps that build them apart.
export type { LanguageOptions, Translate } from './response/language';

// Errors: the package's own misconfiguration errors, and the one to throw for your own checks.
export { EnvelopeError } from './lib/errors';
export type { EnvelopeErrorCode } from './lib/errors';
export { RequestValidationError } from './lib/validation/request-validation-error';
// The `formatIssue` option's types.
export type { IssueFormatter } from './lib/error-outcome';
export type { IssueSource } from './lib/validation';

// Custom formats: defineFormat() and the types a format is written against.
export { defineFormat } from './lib/outcome';
export type {
  Bodies,
  ErrorOutcome,
  Examples,
  Format,
  FormatKeys,
  Reader,
  Issue,
  JsonSchema,
  Outcome,
  RenderContext,
  Rendered,
  SuccessOutcome,
} from './lib/outcome';
// The names of the package's own texts (`ErrorOutcome.packageText`), for a `translate` hook.
export type { PackageText } from './lib/catalogs';

// What a custom format's reader gets and answers (`read` on defineFormat()).
export type { ReadContext, Reading } from './lib/formats/read';

// Preset names and their options, for apps that pick a preset from configuration.
export type { PresetName, PresetOptions } from './lib/registry';
export type { MessageOptions, PresetMessages } from './lib/formats/messages';
export type { WispanelOptions, WispanelVariant } from './lib/formats/wispanel';
export type { ProblemOptions } from './lib/formats/problem';

// One catalog of the app's error codes: throw helpers, texts per language, the OpenAPI enum, the client's code type.
export { defineErrors, errorCatalogMarkdown } from './lib/error-catalog';
export type {
  CatalogError,
  CatalogLike,
  CatalogMessage,
  ErrorCatalog,
  ErrorDefinition,
  ErrorDefinitions,
  ErrorDetail,
} from './lib/error-catalog';
// Describes an operation's responses in OpenAPI 3.1, from the format itself, so the spec cannot drift from the wire.
export { openApiResponses } from './lib/openapi-responses';
export { checkResponses } from './middleware/check-responses';
export type { CheckResponsesMiddleware, CheckResponsesOptions, ResponseCheck, WireResponse } from './middleware/check-responses';
export type { OpenApiHeader, OpenApiResponse, OpenApiResponses, OpenApiResponsesOptions } from './lib/openapi-responses';
// Types a client can give the bodies it receives, per preset (and WisPanel variant).
export type { ErrorBody, SuccessBody } from './lib/body-types';

declare module 'express-serve-static-core' {
  interface Request {
    /**
     * The request id, set by requestId() (or by envelope() when requestId() is not mounted). Typed
     * as always there, as pino-http and express-request-id type it, so their declarations and these
     * agree; middleware mounted before requestId() reads `undefined`.
     */
    id: string;
  }
  interface Response {
    /**
     * Sends `data` as a success in the envelope chosen by envelope(). On a route no envelope()
     * covers it throws `ERR_ENVELOPE_NOT_ENVELOPED` (a 500 through errorHandler()).
     */
    success(data?: unknown, extras?: SuccessExtras): this;
    /** Sends `data` as an informational success (WispHub's `type: "info"`), else as a success. */
    info(data?: unknown, extras?: SuccessExtras): this;
  }
}
