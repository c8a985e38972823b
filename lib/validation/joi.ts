// Joi's ValidationError, and celebrate's CelebrateError (a Map of request segments → Joi errors).

import type { Issue } from '../outcome';
import { type Bag, isRecord } from '../record';
import { issueLocation } from './locations';
import { joinPath } from './paths';
import { valueFree } from './redact';

/** Joi's own wording for the types whose message quotes the submitted value. */
const VALUE_FREE: Readonly<Record<string, string>> = {
  'string.pattern.base': 'fails to match the required pattern',
  'string.pattern.name': 'fails to match the required pattern',
  'string.pattern.invert.base': 'matches the inverted pattern',
  'string.pattern.invert.name': 'matches the inverted pattern',
};

function isJoiError(value: unknown): value is Bag {
  return isRecord(value) && (value.isJoi === true || value.name === 'ValidationError') && Array.isArray(value.details);
}

/** `"name" is required` → `is required`: the path already names the field. */
function withoutLabel(message: string, label: unknown): string {
  if (typeof label !== 'string') return message;
  const prefix = `"${label}" `;
  return message.startsWith(prefix) ? message.slice(prefix.length) : message;
}

function detailIssue(detail: Bag, location: Issue['location']): Issue {
  const context = (detail.context ?? {}) as Bag;
  let path = Array.isArray(detail.path) ? joinPath(detail.path) : '';
  let message: string;
  if (detail.type === 'object.unknown') {
    // The last segment is the client's own key: point at its parent instead.
    path = Array.isArray(detail.path) ? joinPath(detail.path.slice(0, -1)) : '';
    message = 'Unknown keys are not allowed';
  } else {
    const fixed = typeof detail.type === 'string' ? VALUE_FREE[detail.type] : undefined;
    message =
      fixed ??
      valueFree(
        typeof detail.message === 'string' ? withoutLabel(detail.message, context.label) : undefined,
        [context.value],
        'is invalid',
      );
  }
  return location ? { path, message, location } : { path, message };
}

function joiIssues(err: Bag, location?: Issue['location']): Issue[] {
  return (err.details as unknown[]).filter(isRecord).map((detail) => detailIssue(detail, location));
}

export function fromJoi(err: Bag): Issue[] | undefined {
  if (!isJoiError(err)) return undefined;
  const issues = joiIssues(err);
  return issues.length > 0 ? issues : undefined;
}

/** celebrate: `details` is a Map of segment → Joi error; the segment becomes the location. */
export function fromCelebrate(err: Bag): Issue[] | undefined {
  const details = err.details;
  if (!(details instanceof Map)) return undefined;
  const issues: Issue[] = [];
  for (const [segment, joiError] of details) {
    if (typeof segment !== 'string' || !isJoiError(joiError)) return undefined;
    // One push per issue: spreading a very long list into push() throws a RangeError.
    for (const issue of joiIssues(joiError, issueLocation(segment))) issues.push(issue);
  }
  return issues.length > 0 ? issues : undefined;
}
