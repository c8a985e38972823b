// The default log line, and how options pick a logger.

import { EnvelopeError } from '../lib/errors';
import { traceIds } from './state';
import type { EnvelopeRequest, Logger } from './types';

/** How many `cause`s the default line follows: enough for wrapped errors, bounded for hostile ones. */
const MAX_CAUSES = 5;
const LINE_BREAKS = /\s*(?:\r\n|[\r\n\u2028\u2029])\s*/g;
// eslint-disable-next-line no-control-regex -- the point is to find control characters
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g;

/**
 * One line, whatever the text holds: every line break (CR, LF, CRLF, U+2028/9) becomes ` | `, a
 * tab a space, and any other control character its `\uXXXX` escape, so nothing in an error (its
 * message, its code, a hostile path) can forge a second log line or drive a terminal.
 */
function oneLine(text: string): string {
  return text
    .replace(LINE_BREAKS, ' | ')
    .replace(CONTROLS, (c) => (c === '\t' ? ' ' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

function describe(error: unknown): string {
  try {
    if (error instanceof Error) {
      const { code } = error as { code?: unknown };
      const prefix = typeof code === 'string' ? `[${code}] ` : '';
      return prefix + (error.stack ?? `${error.name}: ${error.message}`);
    }
    return typeof error === 'string' ? error : `non-error ${typeof error} thrown`;
  } catch {
    return 'unprintable error';
  }
}

/** One cause, message only: `Name: message` for an error, the text for a string. */
function describeCause(cause: unknown): string {
  if (cause instanceof Error) return `${cause.name}: ${cause.message}`;
  return typeof cause === 'string' ? cause : `non-error ${typeof cause}`;
}

/**
 * ` | caused by: …` for each link of `error.cause`, at most MAX_CAUSES deep. A cycle ends the chain
 * (` | caused by: (cycle)`), and a getter that throws ends it too (` | caused by: (unreadable)`).
 */
function causeChain(error: unknown): string {
  let text = '';
  const seen = new Set<unknown>([error]);
  let current = error;
  for (let depth = 0; ; depth++) {
    let cause: unknown;
    let link: string;
    try {
      if (current === null || typeof current !== 'object' || !('cause' in current)) return text;
      cause = (current as { cause?: unknown }).cause;
      if (cause === undefined) return text;
      if (depth === MAX_CAUSES) return text + ' | caused by: …';
      if (seen.has(cause)) return text + ' | caused by: (cycle)';
      link = describeCause(cause);
    } catch {
      return text + ' | caused by: (unreadable)';
    }
    text += ` | caused by: ${link}`;
    seen.add(cause);
    current = cause;
  }
}

/**
 * One line to stderr: the request id first, so the line can be found from the client's id, then
 * the trace id when there is one, the error's stack and its `cause` chain.
 * @example express-envelope: request 4bf9… trace 4bf9… GET /api/x failed with 500: Error: boom | at … | caused by: Error: db down
 */
export const stderrLogger: Logger = function stderrLogger(entry) {
  const trace = entry.traceId === undefined ? '' : ` trace ${entry.traceId}`;
  let causes: string;
  try {
    causes = causeChain(entry.error);
  } catch {
    causes = '';
  }
  const line = `express-envelope: request ${entry.requestId}${trace} ${entry.method} ${entry.path} failed with ${entry.status}: ${describe(entry.error)}${causes}`;
  process.stderr.write(`${oneLine(line)}\n`);
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
    const traceId = traceIds.get(req);
    const entry: Parameters<Logger>[0] = { requestId, status, method: req.method ?? 'GET', path: requestPath(req), error };
    if (traceId !== undefined) entry.traceId = traceId;
    log(entry);
  } catch {
    // The response still goes out; there is nowhere better to send a logger's own failure.
  }
}
