// RFC 9457 problem details for errors; success bodies go out unchanged.

import { issuePointer, issuesText } from '../issues';
import { type MessageOptions, resolveMessages } from './messages';
import type { Format, JsonSchema } from '../outcome';
import { ANY, ERROR_STATUS, STRING, object, root } from '../schema';
import { statusTitle } from '../status';

const CONTENT_TYPE = { 'Content-Type': 'application/problem+json; charset=utf-8' };
const VALIDATION_STATUS = 400;

export function problem(options: MessageOptions = {}): Format {
  const messages = resolveMessages('problem', { validation: '{issues}' }, options);
  return {
    name: 'problem',
    payload: 'body',
    genericMessage: messages.genericMessage,
    render(outcome, ctx) {
      if (outcome.kind !== 'error') return { status: outcome.status, body: outcome.data };
      const status = outcome.validation ? VALIDATION_STATUS : outcome.status;
      const body: Record<string, unknown> = {
        type: outcome.type ?? 'about:blank',
        title: statusTitle(status),
        status,
        detail: outcome.validation ? messages.validation(issuesText(outcome)) : outcome.message,
        instance: ctx.instance,
      };
      if (outcome.code !== undefined) body.code = outcome.code;
      if (outcome.validation) {
        body.errors = (outcome.details ?? [{ path: '', message: outcome.message }]).map(({ path, message }) => ({
          detail: message,
          pointer: issuePointer(path),
        }));
      }
      if (outcome.stack !== undefined) body.stack = outcome.stack;
      return { status, body, headers: CONTENT_TYPE };
    },
    schemas(data: JsonSchema = ANY) {
      return {
        success: root(data),
        error: root(
          object(
            {
              type: STRING,
              title: STRING,
              status: ERROR_STATUS,
              detail: STRING,
              instance: STRING,
              code: STRING,
              errors: {
                type: 'array',
                items: object({ detail: STRING, pointer: { type: 'string', pattern: '^#(/.*)?$' } }),
              },
              stack: STRING,
            },
            ['type', 'title', 'status', 'detail', 'instance'],
          ),
        ),
      };
    },
  };
}
