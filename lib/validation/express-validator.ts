// express-validator 7: the error thrown by validationResult(req).throw(), and chain results.

import type { Issue } from '../outcome';
import { type Bag, isRecord } from '../record';
import { issueLocation } from './locations';
import { bracketsToDots } from './paths';
import { valueFree } from './redact';

function issue(path: string, message: string, where: unknown): Issue {
  const loc = issueLocation(where);
  return loc ? { path, message, location: loc } : { path, message };
}

function fieldIssue(error: Bag): Issue {
  const path = typeof error.path === 'string' ? bracketsToDots(error.path) : '';
  return issue(path, valueFree(error.msg, [error.value], 'Invalid value'), error.location);
}

/** The fields of an alternative (oneOf): their common path, or the whole request when they differ. */
function alternativeIssue(error: Bag, nested: Bag[]): Issue {
  const paths = new Set(nested.map((e) => (typeof e.path === 'string' ? bracketsToDots(e.path) : '')));
  const path = paths.size === 1 ? [...paths][0] : '';
  return issue(
    path,
    valueFree(
      error.msg,
      nested.map((e) => e.value),
      'Invalid value(s)',
    ),
    nested[0]?.location,
  );
}

/** One express-validator error (any of its four types) → issues. */
export function expressValidatorIssues(errors: readonly unknown[]): Issue[] {
  const issues: Issue[] = [];
  for (const error of errors) {
    if (!isRecord(error)) continue;
    switch (error.type) {
      case 'alternative':
        issues.push(alternativeIssue(error, Array.isArray(error.nestedErrors) ? (error.nestedErrors as Bag[]) : []));
        break;
      case 'alternative_grouped':
        issues.push(alternativeIssue(error, Array.isArray(error.nestedErrors) ? (error.nestedErrors as Bag[][]).flat() : []));
        break;
      case 'unknown_fields': {
        // The field names are the client's own keys: say that there were some, never which.
        const fields = Array.isArray(error.fields) ? (error.fields as Bag[]) : [];
        issues.push(
          issue(
            '',
            valueFree(
              error.msg,
              fields.flatMap((f) => [f.path, f.value]),
              'Unknown field(s)',
            ),
            fields[0]?.location,
          ),
        );
        break;
      }
      default:
        issues.push(fieldIssue(error));
    }
  }
  return issues;
}

/**
 * The raw errors of a chain's result or of the error `validationResult(req).throw()` throws: its
 * `errors` list, not array(), whose shape a custom formatWith() may have changed; else array().
 */
export function rawErrors(value: unknown): unknown[] {
  if (!isRecord(value)) return [];
  if (Array.isArray(value.errors)) return value.errors;
  if (typeof value.array !== 'function') return [];
  const errors = (value.array as () => unknown)();
  return Array.isArray(errors) ? errors : [];
}

/** The error `validationResult(req).throw()` throws: an Error with `errors` and `array()`/`mapped()`. */
export function fromExpressValidator(err: Bag): Issue[] | undefined {
  if (typeof err.array !== 'function' || typeof err.mapped !== 'function') return undefined;
  const errors = rawErrors(err);
  return errors.length > 0 ? expressValidatorIssues(errors) : undefined;
}
