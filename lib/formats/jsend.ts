// JSend: `success` with data, `fail` for client errors (field → message), `error` for server errors.

import type { Format, JsonSchema } from '../outcome';
import { issuesByField } from '../issues';
import { slot } from '../payload';
import { type MessageOptions, resolveMessages } from './messages';
import { ANY, STRING, constant, object, root, titled } from '../schema';

export function jsend(options: MessageOptions = {}): Format {
  // jsend writes validation failures as a field map; only the 5xx text applies.
  const messages = resolveMessages('jsend', () => ({}), options);
  return {
    name: 'jsend',
    payload: 'slot',
    genericMessage: messages.genericMessage,
    render(result, ctx) {
      if (result.kind !== 'error') return { status: result.status, body: { status: 'success', data: slot(result.data) } };
      const outcome = messages.localize(result, ctx.locale);
      if (outcome.status >= 500) {
        const body: Record<string, unknown> = { status: 'error', message: outcome.message };
        if (outcome.code !== undefined) body.code = outcome.code;
        return { status: outcome.status, body };
      }
      // One message per field (several joined with "; "), from the same field map as wispanel's.
      const data =
        outcome.validation && outcome.details
          ? Object.fromEntries(Object.entries(issuesByField(outcome.details)).map(([field, list]) => [field, list.join('; ')]))
          : { message: outcome.message };
      return { status: outcome.status, body: { status: 'fail', data } };
    },
    schemas(data: JsonSchema = ANY) {
      return {
        success: root(object({ status: constant('success'), data })),
        error: root({
          oneOf: [
            titled('fail', object({ status: constant('fail'), data: { type: 'object', additionalProperties: STRING } })),
            titled('error', object({ status: constant('error'), message: STRING, code: STRING }, ['status', 'message'])),
          ],
        }),
      };
    },
  };
}
