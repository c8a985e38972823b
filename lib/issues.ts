// How a list of validation issues is written out: joined text, a field map, RFC 6901 pointers.

import type { Issue } from './outcome';

/** `path: message` for each issue joined with `"; "`; an issue without a path is its message alone. */
export function joinIssues(issues: readonly Issue[]): string {
  let text = '';
  for (let i = 0; i < issues.length; i++) {
    const { path, message } = issues[i];
    if (i > 0) text += '; ';
    text += path === '' ? message : `${path}: ${message}`;
  }
  return text;
}

/** `{ "<path>": ["<message>", …] }`, an empty path keyed as `body`. */
export function issuesByField(issues: readonly Issue[]): Record<string, string[]> {
  const fields: Record<string, string[]> = Object.create(null);
  for (const { path, message } of issues) {
    const key = path === '' ? 'body' : path;
    (fields[key] ??= []).push(message);
  }
  return { ...fields };
}

/**
 * `items.0.id` → `#/items/0/id` (RFC 6901 escapes, as a URI fragment). The empty path (the body as a
 * whole) is `#/`, as docs/presets/problem.md writes it (docs/decisions.md (f)).
 */
export function issuePointer(path: string): string {
  if (path === '') return '#/';
  let pointer = '#';
  for (const segment of path.split('.')) {
    pointer += '/' + encodeURIComponent(segment.replace(/~/g, '~0').replace(/\//g, '~1'));
  }
  return pointer;
}

/** The `<issues>` text of a validation outcome: its issues joined, else its message. */
export function issuesText(outcome: { details?: readonly Issue[]; message: string }): string {
  return outcome.details && outcome.details.length > 0 ? joinIssues(outcome.details) : outcome.message;
}
