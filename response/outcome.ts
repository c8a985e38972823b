// What the package wrote on a response: for code that must judge it by its outcome, not its status.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { outcomes } from './state';

/**
 * The kind of outcome this package rendered on the response (`'success'`, `'info'` or `'error'`),
 * or `undefined` for a response it did not write. An always-200 envelope (`webServiceReturn`,
 * `statusOk`'s soft errors) says `'error'` here while its status says 200.
 * @example pinoHttp({ customLogLevel: (req, res) => (responseOutcome(res) === 'error' ? 'warn' : 'info') })
 */
export function responseOutcome(res: ServerResponse): 'success' | 'info' | 'error' | undefined {
  return outcomes.get(res);
}

/**
 * True when the response was not an error: by its rendered outcome where this package wrote it,
 * else by its status (below 400). The default `requestWasSuccessful` of `rateLimit()`.
 * @example rateLimit({ skipSuccessfulRequests: true, requestWasSuccessful }) // the default already
 */
export function requestWasSuccessful(_req: IncomingMessage, res: ServerResponse): boolean {
  const kind = responseOutcome(res);
  return kind === undefined ? res.statusCode < 400 : kind !== 'error';
}
