// The default log line, and how options pick a logger.

import { EnvelopeError } from '../lib/errors';
import type { EnvelopeRequest, Logger } from './types';

function describe(error: unknown): string {
  try {
    if (error instanceof Error) {
      const { code } = error as { code?: unknown };
      const prefix = typeof code === 'string' ? `[${code}] ` : '';
      return prefix + (error.stack ?? `${error.name}: ${error.message}`).replace(/\s*\n\s*/g, ' | ');
    }
    return typeof error === 'string' ? error.replace(/\s*\n\s*/g, ' | ') : `non-error ${typeof error} thrown`;
  } catch {
    return 'unprintable error';
  }
}

/** One line to stderr: the request id first, so the line can be found from the client's id. */
export const stderrLogger: Logger = function stderrLogger(entry) {
  process.stderr.write(
    `express-envelope: request ${entry.requestId} ${entry.method} ${entry.path} failed with ${entry.status}: ${describe(entry.error)}\n`,
  );
};

export function resolveLogger(owner: string, log: unknown): Logger | false {
  if (log === undefined || log === true) return stderrLogger;
  if (log === false || typeof log === 'function') return log as Logger | false;
  throw new EnvelopeError('ERR_ENVELOPE_INVALID_OPTION', `${owner}: log must be a function or false`);
}

/** The request's path, without its query string (which may carry secrets) or a `#fragment`. */
export function requestPath(req: EnvelopeRequest): string {
  const url = req.originalUrl ?? req.url ?? '';
  const end = url.search(/[?#]/);
  return end === -1 ? url : url.slice(0, end);
}

/** Reports an error; a logger that throws must not take the response down with it. */
export function report(log: Logger | false, req: EnvelopeRequest, requestId: string, status: number, error: unknown): void {
  if (log === false) return;
  try {
    log({ requestId, status, method: req.method ?? 'GET', path: requestPath(req), error });
  } catch {
    // The response still goes out; there is nowhere better to send a logger's own failure.
  }
}
