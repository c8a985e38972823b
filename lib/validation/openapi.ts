// express-openapi-validator: HttpError subclasses with `status`, `path` and `errors[{ path, message }]`.

import type { Issue } from '../outcome';
import { type Bag, isRecord } from '../record';
import { isErrorStatus } from '../status';
import { issueLocation } from './locations';
import { joinPath, pathSegments } from './paths';

export interface OpenApiFailure {
  status: number;
  /** Present for a request that failed validation (400). */
  issues?: Issue[];
}

function isOpenApiError(err: Bag): boolean {
  return (
    isErrorStatus(err.status) &&
    typeof err.path === 'string' &&
    Array.isArray(err.errors) &&
    err.errors.every((e) => isRecord(e) && typeof e.path === 'string' && typeof e.message === 'string')
  );
}

/** `/body/items/0/id` (or the older `.body.items[0].id`) → location `body`, path `items.0.id`. */
function splitPath(raw: string): { location?: Issue['location']; segments: string[] } {
  const segments = pathSegments(raw);
  const location = issueLocation(segments[0]);
  return location ? { location, segments: segments.slice(1) } : { segments };
}

function toIssue(error: Bag): Issue {
  const { location, segments } = splitPath(error.path as string);
  let message = error.message as string;
  // These name the client's own key, in the message or as the last path segment: point at the parent.
  if (/^Unknown (query )?parameter/i.test(message)) {
    segments.pop();
    message = 'Unknown parameters are not allowed';
  } else if (/^must NOT have (additional|unevaluated) properties/.test(message)) {
    segments.pop();
  }
  const path = joinPath(segments);
  return location ? { path, message, location } : { path, message };
}

/**
 * Validation failures (400) become issues. Its other refusals (404, 405, 415, 401…) keep their
 * status but not their message, which can echo the request (`unsupported media type text/x-…`).
 */
export function fromOpenApi(err: Bag): OpenApiFailure | undefined {
  if (!isOpenApiError(err)) return undefined;
  const status = err.status as number;
  if (status !== 400) return { status };
  return { status, issues: (err.errors as Bag[]).map(toIssue) };
}
