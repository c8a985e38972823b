// Universa's common response: `{ status: "OK" | "error" }`, soft errors on HTTP 200.

import { type MessageOptions, resolveMessages } from './messages';
import type { Format, JsonSchema } from '../outcome';
import { appendPayload, spreadPayload } from '../payload';
import { STRING, constant, spreading, spreadingError } from '../schema';
import { lowerSnake, statusTitle } from '../status';

export function statusOk(options: MessageOptions = {}): Format {
  const messages = resolveMessages('statusOk', (catalog) => ({ validation: catalog.validationFailed }), options);
  return {
    name: 'statusOk',
    payload: 'spread',
    genericMessage: messages.genericMessage,
    render(result, ctx) {
      if (result.kind !== 'error') {
        return { status: result.status, body: spreadPayload({ status: 'OK' }, result.data, 'result', 'statusOk') };
      }
      const outcome = messages.localize(result, ctx.locale);
      const body = {
        status: 'error',
        code: outcome.code ?? (outcome.validation ? 'validation_error' : lowerSnake(statusTitle(outcome.status))),
        text: messages.text(outcome, ctx.locale),
      };
      // Soft (business) errors are HTTP 200; only hard failures keep their status.
      return { status: outcome.hard ? outcome.status : 200, body: appendPayload(body, outcome.data) };
    },
    schemas(data?: JsonSchema) {
      return {
        success: spreading({ status: constant('OK') }, ['status'], data, { format: 'statusOk', slot: 'result' }),
        error: spreadingError({ status: constant('error'), code: STRING, text: STRING }),
      };
    },
  };
}
