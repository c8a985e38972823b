// The request and response as this package sees them: Node's, with what Express adds when present.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Format } from '../lib/outcome';
import type { Language } from './language';
import type { Reporter } from './observe';

export type NextFunction = (err?: unknown) => void;

/** Where 5xx errors and programming errors are reported. */
export interface LogEntry {
  requestId: string;
  status: number;
  method: string;
  /** The request path, without its query string (which may carry secrets). */
  path: string;
  error: unknown;
  /** The W3C trace id of the request, when `requestId({ traceparent: true })` found a valid one. */
  traceId?: string;
}
export type Logger = (entry: LogEntry) => void;

export interface Responder {
  format: Format;
  log: Logger | false;
  debug: boolean;
  /** `locales` and `translate`, when envelope() was given them. */
  language?: Language;
  /** `onError` and `report`, when envelope() was given a hook. */
  reporter?: Reporter;
}

// No `id` here: pino-http declares `id` on every IncomingMessage, and a second, narrower declaration
// would make this interface fail to extend it; the package reads and writes the id in state.ts.
export interface EnvelopeRequest extends IncomingMessage {
  originalUrl?: string;
}

export interface EnvelopeResponse extends ServerResponse {
  req: EnvelopeRequest;
  app?: { settings?: Record<string, unknown> };
  send?: (body: string) => unknown;
  json?: (body?: unknown) => unknown;
}
