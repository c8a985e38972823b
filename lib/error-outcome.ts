// Any thrown or forwarded value → an ErrorOutcome, by the same rules for every format.

import type { ErrorOutcome, Issue } from './outcome';
import { isErrorStatus, statusTitle } from './status';
import { bodyParserFailure } from './body-errors';
import { joinIssues } from './issues';

export interface ErrorOutcomeOptions {
  /** The message for an error whose own message is not exposed. */
  genericMessage?: (status: number) => string;
  /** Include the stack (and so the real message) in the outcome. */
  debug?: boolean;
}

type Bag = Record<string, unknown>;

/** http-errors' own test, by shape, so that two copies of http-errors (or a look-alike) both count. */
export function isHttpErrorLike(value: unknown): value is Bag {
  if (value === null || typeof value !== 'object') return false;
  const bag = value as Bag;
  return typeof bag.expose === 'boolean' && typeof bag.statusCode === 'number' && bag.status === bag.statusCode;
}

function isErrorLike(value: unknown): value is Bag {
  return (
    value instanceof Error ||
    isHttpErrorLike(value) ||
    (value !== null && typeof value === 'object' && Object.prototype.toString.call(value) === '[object Error]')
  );
}

/** The status an error carries: `status`, else `statusCode`, when a whole number in 400..599. */
export function errorStatus(err: unknown): number | undefined {
  if (!isErrorLike(err)) return undefined;
  if (isErrorStatus(err.status)) return err.status;
  if (isErrorStatus(err.statusCode)) return err.statusCode;
  return undefined;
}

/**
 * The headers an error asks for (`err.headers`, as http-errors sets for a 401 or 405), applied only
 * when the status came from the error, as finalhandler does.
 */
export function errorHeaders(err: unknown): Record<string, string | number | string[]> | undefined {
  try {
    if (errorStatus(err) === undefined) return undefined;
    const headers = (err as Bag).headers;
    if (headers === null || typeof headers !== 'object') return undefined;
    const out: Record<string, string | number | string[]> = {};
    for (const [name, value] of Object.entries(headers)) {
      if (typeof value === 'string' || typeof value === 'number' || Array.isArray(value)) out[name] = value;
    }
    return out;
  } catch {
    return undefined;
  }
}

const ABSOLUTE_URI = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$/;

/**
 * Normalizes anything to an ErrorOutcome. Never throws: a value whose getters throw, or anything
 * else unexpected, becomes a plain 500.
 */
export function toErrorOutcome(err: unknown, options: ErrorOutcomeOptions = {}): ErrorOutcome {
  const generic = options.genericMessage ?? statusTitle;
  try {
    return fromError(err, generic, options.debug === true);
  } catch {
    return internalError(generic);
  }
}

function internalError(generic: (status: number) => string): ErrorOutcome {
  return { kind: 'error', status: 500, message: generic(500), hard: true, validation: false };
}

function fromError(err: unknown, generic: (status: number) => string, debug: boolean): ErrorOutcome {
  if (!isErrorLike(err)) {
    return debug ? { ...internalError(generic), stack: describe(err) } : internalError(generic);
  }
  const status = errorStatus(err) ?? 500;
  const exposed = typeof err.expose === 'boolean' ? err.expose : status < 500;
  const stack = debug ? stackOf(err) : undefined;

  const body = bodyParserFailure(err, status, generic);
  if (body) return stack === undefined ? body : { ...body, stack };

  const outcome: ErrorOutcome = {
    kind: 'error',
    status,
    message: exposed && typeof err.message === 'string' && err.message !== '' ? err.message : generic(status),
    hard: err.hard === true || status >= 500,
    validation: false,
  };
  if (exposed) {
    if (typeof err.code === 'string' && err.code !== '') outcome.code = err.code;
    if (typeof err.action === 'string' && err.action !== '') outcome.action = err.action;
    if (typeof err.actor === 'string') outcome.actor = err.actor;
    if (typeof err.type === 'string' && ABSOLUTE_URI.test(err.type)) outcome.type = err.type;
    if (err.data !== undefined) outcome.data = err.data;
    if (err.returnQuestion !== undefined) outcome.returnQuestion = err.returnQuestion;
    const details = issuesOf(err.details);
    if (details) {
      outcome.details = details;
      outcome.validation = true;
      outcome.message = joinIssues(details);
    }
  }
  if (stack !== undefined) outcome.stack = stack;
  return outcome;
}

/** `details` given as ready-made issues (`{ path, message }`); anything else is not ours to show. */
function issuesOf(value: unknown): Issue[] | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  const issues: Issue[] = [];
  for (const item of value) {
    if (item === null || typeof item !== 'object') return undefined;
    const { path, message, location } = item as Bag;
    if (typeof path !== 'string' || typeof message !== 'string') return undefined;
    const issue: Issue = { path, message };
    if (location === 'body' || location === 'query' || location === 'params' || location === 'headers' || location === 'cookies') {
      issue.location = location;
    }
    issues.push(issue);
  }
  return issues;
}

function stackOf(err: Bag): string {
  return typeof err.stack === 'string' ? err.stack : describe(err);
}

function describe(value: unknown): string {
  try {
    return typeof value === 'string' ? value : `${typeof value}: ${String(value)}`;
  } catch {
    return typeof value;
  }
}
