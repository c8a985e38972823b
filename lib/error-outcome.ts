// Any thrown or forwarded value → an ErrorOutcome, by the same rules for every format.

import type { ErrorOutcome, Issue } from './outcome';
import type { Bag } from './record';
import { isErrorStatus, statusTitle } from './status';
import { requestFailure } from './body-errors';
import { PACKAGE_TEXT, isPackageText } from './catalogs';
import { capIssues, joinIssues } from './issues';
import { type IssueSource, validationFailure } from './validation';
import { issueLocation } from './validation/locations';
import { scrubIssues, submittedValues } from './validation/redact';

export interface ErrorOutcomeOptions {
  /** The message for an error whose own message is not exposed. */
  genericMessage?: (status: number) => string;
  /** Include the stack (and so the real message) in the outcome. */
  debug?: boolean;
  /** Rewords validation issues. */
  formatIssue?: IssueFormatter;
  /**
   * What the client sent (body, query, params): an issue message that quotes any of it is replaced,
   * whichever adapter made it. Read only for validation failures.
   */
  submitted?: () => readonly unknown[];
  /**
   * The status to use instead of the error's own: an Error sent with `res.status(s).json(err)` is
   * treated as if it were `next(err)` with status `s`.
   */
  status?: number;
  /** The request's language, handed to `formatIssue` (set when `locales` are configured). */
  locale?: string;
}

/** http-errors' own test, by shape, so that two copies of http-errors (or a look-alike) both count. */
export function isHttpErrorLike(value: unknown): value is Bag {
  if (value === null || typeof value !== 'object') return false;
  const bag = value as Bag;
  return typeof bag.expose === 'boolean' && typeof bag.statusCode === 'number' && bag.status === bag.statusCode;
}

/** An Error, an http-error by shape, or an object that says it is an Error. */
export function isErrorLike(value: unknown): value is Bag {
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

/** Receives each issue as the adapters made it (value-free) and returns the issue to render. */
export type IssueFormatter = (issue: Issue, context: { source: IssueSource; error: unknown; locale?: string }) => Issue;

/** Refusals of express-openapi-validator that mean "no such route" or "unusable body". */
const HARD_REFUSALS = new Set([404, 405, 413, 415]);

/**
 * Normalizes anything to an ErrorOutcome. Never throws: a value whose getters throw, or anything
 * else unexpected, becomes a plain 500.
 */
export function toErrorOutcome(err: unknown, options: ErrorOutcomeOptions = {}): ErrorOutcome {
  const generic = safeGeneric(options.genericMessage);
  let outcome: ErrorOutcome;
  let source: IssueSource | undefined;
  try {
    [outcome, source] = fromError(err, generic, options);
  } catch {
    return internalError(generic);
  }
  if (outcome.details && options.submitted) outcome = scrubbed(outcome, options.submitted());
  return source && options.formatIssue ? reworded(outcome, source, err, options.formatIssue, options.locale) : outcome;
}

/** A format's generic message that cannot throw, nor return anything but a string. */
function safeGeneric(genericMessage: ((status: number) => string) | undefined): (status: number) => string {
  if (genericMessage === undefined) return statusTitle;
  return (status) => {
    try {
      const message = genericMessage(status);
      return typeof message === 'string' ? message : statusTitle(status);
    } catch {
      return statusTitle(status);
    }
  };
}

/**
 * The error outcome of `res.status(4xx|5xx).json(body)`. An Error follows the error rules (shown only
 * when exposed), as if it had been forwarded with that status; any other body is what the handler
 * chose to show: the string itself, else its `message`, plus its `code` and `action`.
 */
export function jsonBodyOutcome(status: number, body: unknown, options: ErrorOutcomeOptions = {}): ErrorOutcome {
  if (isErrorLike(body)) return toErrorOutcome(body, { ...options, status });
  const bag = body !== null && typeof body === 'object' ? (body as Bag) : undefined;
  const message = typeof body === 'string' ? body : bag && typeof bag.message === 'string' ? bag.message : undefined;
  const outcome: ErrorOutcome =
    message === undefined
      ? { kind: 'error', status, message: statusTitle(status), hard: status >= 500, validation: false, packageText: 'generic' }
      : { kind: 'error', status, message, hard: status >= 500, validation: false };
  if (bag) {
    if (typeof bag.code === 'string') outcome.code = bag.code;
    if (typeof bag.action === 'string') outcome.action = bag.action;
  }
  return outcome;
}

function internalError(generic: (status: number) => string): ErrorOutcome {
  return { kind: 'error', status: 500, message: generic(500), hard: true, validation: false, packageText: 'generic' };
}

/** A validation outcome carrying at most MAX_ISSUES issues, the rest counted. */
function withIssues<T extends Omit<ErrorOutcome, 'details' | 'message' | 'moreIssues'>>(outcome: T, issues: Issue[]): ErrorOutcome {
  const { details, more } = capIssues(issues);
  const result: ErrorOutcome = { ...outcome, message: joinIssues(details, more), details };
  if (more > 0) result.moreIssues = more;
  return result;
}

function validationOutcome(status: number, issues: Issue[]): ErrorOutcome {
  return withIssues({ kind: 'error', status, hard: false, validation: true }, issues);
}

/**
 * Whether an error with `status` may show its own message: `err.expose` when it is a boolean, else a
 * status below 500. A value that is not an error never may.
 */
export function isExposed(err: unknown, status: number): boolean {
  if (!isErrorLike(err)) return false;
  return typeof err.expose === 'boolean' ? err.expose : status < 500;
}

function fromError(err: unknown, generic: (status: number) => string, options: ErrorOutcomeOptions): [ErrorOutcome, IssueSource?] {
  const debug = options.debug === true;
  if (!isErrorLike(err)) {
    return [debug ? { ...internalError(generic), stack: describe(err) } : internalError(generic)];
  }
  const status = options.status ?? errorStatus(err) ?? 500;
  const stack = debug ? stackOf(err) : undefined;
  const [outcome, source] = classify(err, status, generic);
  if (stack !== undefined) outcome.stack = stack;
  return [outcome, source];
}

function classify(err: Bag, status: number, generic: (status: number) => string): [ErrorOutcome, IssueSource?] {
  const exposed = isExposed(err, status);
  const body = requestFailure(err, status, generic);
  if (body) return [body, body.validation ? 'body-parser' : undefined];

  const failure = validationFailure(err);
  if (failure?.issues) return [validationOutcome(failure.status ?? errorStatus(err) ?? 400, failure.issues), failure.source];
  if (failure?.status !== undefined) {
    const refused = failure.status;
    return [
      {
        kind: 'error',
        status: refused,
        message: generic(refused),
        hard: HARD_REFUSALS.has(refused) || refused >= 500,
        validation: false,
        packageText: 'generic',
      },
    ];
  }

  const own = exposed && typeof err.message === 'string' && err.message !== '';
  const outcome: ErrorOutcome = {
    kind: 'error',
    status,
    message: own ? (err.message as string) : generic(status),
    hard: err.hard === true || status >= 500,
    validation: false,
  };
  // The package's own errors (notFound(), rateLimit()) say which of its texts they carry.
  const marked = own ? (err as Record<PropertyKey, unknown>)[PACKAGE_TEXT] : 'generic';
  if (!exposed) return [{ ...outcome, packageText: 'generic' }];
  if (typeof err.code === 'string' && err.code !== '') outcome.code = err.code;
  if (typeof err.action === 'string' && err.action !== '') outcome.action = err.action;
  if (typeof err.actor === 'string') outcome.actor = err.actor;
  if (typeof err.type === 'string' && ABSOLUTE_URI.test(err.type)) outcome.type = err.type;
  if (err.data !== undefined) outcome.data = err.data;
  if (err.returnQuestion !== undefined) outcome.returnQuestion = err.returnQuestion;
  const details = issuesOf(err.details);
  if (!details) return [isPackageText(marked) ? { ...outcome, packageText: marked } : outcome];
  return [withIssues({ ...outcome, validation: true }, details), issueSource(err.source)];
}

const SOURCES: readonly IssueSource[] = ['express-validator', 'zod', 'joi', 'celebrate', 'openapi', 'details', 'body-parser'];

function issueSource(value: unknown): IssueSource {
  return SOURCES.includes(value as IssueSource) ? (value as IssueSource) : 'details';
}

/** The outcome with every issue message that quotes a submitted value replaced. */
function scrubbed(outcome: ErrorOutcome, sources: readonly unknown[]): ErrorOutcome {
  const details = scrubIssues(outcome.details ?? [], submittedValues(sources));
  return details === outcome.details ? outcome : { ...outcome, details, message: joinIssues(details, outcome.moreIssues) };
}

/** Runs the user's formatIssue over every issue; a formatter that throws leaves the issue as it was. */
function reworded(
  outcome: ErrorOutcome,
  source: IssueSource,
  error: unknown,
  formatIssue: IssueFormatter,
  locale: string | undefined,
): ErrorOutcome {
  if (!outcome.details) return outcome;
  const context = locale === undefined ? { source, error } : { source, error, locale };
  const details = outcome.details.map((issue) => {
    try {
      const result = formatIssue({ ...issue }, context);
      return result && typeof result.path === 'string' && typeof result.message === 'string' ? result : issue;
    } catch {
      return issue;
    }
  });
  return { ...outcome, details, message: joinIssues(details, outcome.moreIssues) };
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
    const where = issueLocation(location);
    if (where !== undefined) issue.location = where;
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
