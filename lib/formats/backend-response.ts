// WispHub's BackendResponse: `{ ok, type, action, data, message, meta }`, Spanish fixed texts.

import { issuesText } from '../issues';
import { type MessageOptions, resolveMessages } from './messages';
import type { Format, JsonSchema } from '../outcome';
import { slot } from '../payload';
import { ANY, NULL, STRING, constant, nullable, object, root } from '../schema';

const VALIDATION_STATUS = 422;
export function backendResponse(options: MessageOptions = {}): Format {
  const messages = resolveMessages(
    'backendResponse',
    { validation: 'Error de validación: {issues}', internalError: 'Ocurrió un error interno en el servidor.' },
    options,
  );
  return {
    name: 'backendResponse',
    payload: 'slot',
    genericMessage: messages.genericMessage,
    render(outcome) {
      if (outcome.kind === 'error') {
        return {
          status: outcome.validation ? VALIDATION_STATUS : outcome.status,
          body: {
            ok: false,
            type: 'error',
            action: outcome.action ?? 'error',
            data: null,
            message: outcome.validation ? messages.validation(issuesText(outcome)) : outcome.message,
            meta: null,
          },
        };
      }
      return {
        status: outcome.status,
        body: {
          ok: true,
          type: outcome.kind,
          action: outcome.action ?? outcome.kind,
          data: slot(outcome.data),
          message: outcome.message ?? null,
          meta: outcome.meta ?? null,
        },
      };
    },
    schemas(data: JsonSchema = ANY) {
      return {
        success: root(
          object({
            ok: constant(true),
            type: { enum: ['success', 'info'] },
            action: STRING,
            data,
            message: nullable(STRING),
            meta: nullable({ type: 'object' }),
          }),
        ),
        error: root(
          object({
            ok: constant(false),
            type: constant('error'),
            action: STRING,
            data: NULL,
            message: STRING,
            meta: NULL,
          }),
        ),
      };
    },
  };
}

