// How a list of validation issues is written out: joined text, a field map, RFC 6901 pointers.

import type { Issue } from './outcome';

/** The most issues an outcome carries; the rest are counted, so a response's size stays bounded. */
export const MAX_ISSUES = 100;

/**
 * `path: message` for each issue joined with `"; "`; an issue without a path is its message alone.
 * `more` issues left out by the cap end the text as `and <more> more`.
 */
export function joinIssues(issues: readonly Issue[], more = 0): string {
  let text = '';
  for (let i = 0; i < issues.length; i++) {
    const { path, message } = issues[i];
    if (i > 0) text += '; ';
    text += path === '' ? message : `${path}: ${message}`;
  }
  return more > 0 ? `${text}; and ${more} more` : text;
}

/** The first MAX_ISSUES issues and how many were left out. */
export function capIssues(issues: Issue[]): { details: Issue[]; more: number } {
  return issues.length <= MAX_ISSUES
    ? { details: issues, more: 0 }
    : { details: issues.slice(0, MAX_ISSUES), more: issues.length - MAX_ISSUES };
}

/** `{ "<path>": ["<message>", …] }`, an empty path keyed as `body`. */
export function issuesByField(issues: readonly Issue[]): Record<string, string[]> {
  const fields = Object.create(null) as Record<string, string[]>;
  for (const { path, message } of issues) {
    const key = path === '' ? 'body' : path;
    (fields[key] ??= []).push(message);
  }
  return { ...fields };
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** The text with each lone surrogate replaced by U+FFFD (String#toWellFormed, which Node 18 lacks). */
function wellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, '\ufffd');
}

/**
 * `items.0.id` → `#/items/0/id` (RFC 6901 escapes, as a URI fragment). The empty path (the body as a
 * whole) is `#/`, as docs/reference/presets/problem.md writes it (docs/internals/decisions.md (f)).
 */
export function issuePointer(path: string): string {
  if (path === '') return '#/';
  let pointer = '#';
  for (const segment of path.split('.')) {
    // A lone surrogate (a client's key such as "\ud800") cannot be percent-encoded: U+FFFD stands in.
    pointer += '/' + encodeURIComponent(wellFormed(segment).replace(/~/g, '~0').replace(/\//g, '~1'));
  }
  return pointer;
}

/** The `<issues>` text of a validation outcome: its issues joined, else its message. */
export function issuesText(outcome: { details?: readonly Issue[]; moreIssues?: number; message: string }): string {
  return outcome.details && outcome.details.length > 0 ? joinIssues(outcome.details, outcome.moreIssues) : outcome.message;
}
