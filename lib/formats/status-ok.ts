// Universa's common response: `{ status: "OK" | "error" }`, soft errors on HTTP 200.

import { issuesText } from '../issues';
import { type MessageOptions, resolveMessages } from './messages';
import type { Format, JsonSchema } from '../outcome';
import { appendPayload, spreadPayload } from '../payload';
import { STRING, constant, object, spreading } from '../schema';
import { lowerSnake, statusTitle } from '../status';

export function statusOk(options: MessageOptions = {}): Format {
  const messages = resolveMessages('statusOk', { validation: 'Validation failed: {issues}' }, options);
  return {
    name: 'statusOk',
    payload: 'spread',
    genericMessage: messages.genericMessage,
    render(outcome) {
      if (outcome.kind !== 'error') {
        return { status: outcome.status, body: spreadPayload({ status: 'OK' }, outcome.data, 'result', 'statusOk') };
      }
      const body = {
        status: 'error',
        code: outcome.code ?? (outcome.validation ? 'validation_error' : lowerSnake(statusTitle(outcome.status))),
        text: outcome.validation ? messages.validation(issuesText(outcome)) : outcome.message,
      };
      // Soft (business) errors are HTTP 200; only hard failures keep their status.
      return { status: outcome.hard ? outcome.status : 200, body: appendPayload(body, outcome.data) };
    },
    schemas(data?: JsonSchema) {
      return {
        success: spreading(object({ status: constant('OK') }, ['status'], true), data),
        error: spreading(object({ status: constant('error'), code: STRING, text: STRING }, undefined, true)),
      };
    },
  };
}
