// zod 3 and zod 4 (classic and zod/mini): ZodError / $ZodError and their issues.

import type { Issue } from '../outcome';
import { type Bag, isRecord } from '../record';
import { joinPath } from './paths';
import { valueFree } from './redact';

function isZodError(err: Bag): boolean {
  return (err.name === 'ZodError' || err.name === '$ZodError') && Array.isArray(err.issues);
}

function list(values: unknown): string {
  return Array.isArray(values) ? values.map((v) => (typeof v === 'string' ? `'${v}'` : String(v))).join(' | ') : '';
}

/** A message that never carries what the client sent, whatever the zod version built. */
function message(issue: Bag): string {
  switch (issue.code) {
    // zod 3 quotes the received value; the options come from the schema and are safe to show.
    case 'invalid_enum_value':
      return `Invalid enum value. Expected ${list(issue.options)}`;
    // Both versions name the client's keys.
    case 'unrecognized_keys':
      return 'Unrecognized keys are not allowed';
    // zod 3's `received` is the value for literals and enums, but the type name for invalid_type.
    case 'invalid_type':
      return valueFree(issue.message, [issue.input], 'Invalid value');
    default:
      return valueFree(issue.message, [issue.received, issue.input], 'Invalid value');
  }
}

export function fromZod(err: Bag): Issue[] | undefined {
  if (!isZodError(err)) return undefined;
  const issues: Issue[] = [];
  for (const issue of err.issues as unknown[]) {
    if (!isRecord(issue)) continue;
    issues.push({ path: Array.isArray(issue.path) ? joinPath(issue.path) : '', message: message(issue) });
  }
  return issues.length > 0 ? issues : undefined;
}
