// What the client sent, for the request-wide redaction net of validation messages.

import type { EnvelopeRequest } from './types';

/** The body, query, params and cookies, as Express and its parsers leave them on the request. */
export function submitted(req: EnvelopeRequest): unknown[] {
  const bag = req as EnvelopeRequest & Record<string, unknown>;
  const values: unknown[] = [];
  for (const key of ['body', 'query', 'params', 'cookies']) {
    try {
      values.push(bag[key]);
    } catch {
      // A getter that throws (Express 5's req.query on a malformed query string, say) holds nothing to read.
    }
  }
  return values;
}
