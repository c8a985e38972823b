// Where in the request an issue was found: the names libraries use → the Issue's `location`.

import type { Issue } from '../outcome';

/**
 * express-validator's locations, celebrate's segments and express-openapi-validator's path roots
 * (`path` is OpenAPI's name for route params; signed cookies are cookies to the client).
 */
const LOCATIONS = new Map<string, NonNullable<Issue['location']>>([
  ['body', 'body'],
  ['query', 'query'],
  ['params', 'params'],
  ['path', 'params'],
  ['headers', 'headers'],
  ['cookies', 'cookies'],
  ['signedCookies', 'cookies'],
]);

/** The Issue location a library's name stands for, or undefined for any other value. */
export function issueLocation(name: unknown): Issue['location'] {
  return typeof name === 'string' ? LOCATIONS.get(name) : undefined;
}
