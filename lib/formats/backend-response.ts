// WispHub's BackendResponse: `{ ok, type, action, data, message, meta }`, Spanish fixed texts.

import { type MessageOptions, resolveMessages } from './messages';
import type { Format, JsonSchema } from '../outcome';
import { slot } from '../payload';
import { ANY, NULL, RECORD, STRING, constant, nullable, object, root } from '../schema';

const VALIDATION_STATUS = 422;
export function backendResponse(options: MessageOptions = {}): Format {
  // WispHub answers in Spanish whatever the client asks: its catalog is pinned to `es`.
  const messages = resolveMessages(
    'backendResponse',
    () => ({ validation: 'Error de validación: {issues}', internalError: 'Ocurrió un error interno en el servidor.' }),
    options,
    'es',
  );
  return {
    name: 'backendResponse',
    payload: 'slot',
    genericMessage: messages.genericMessage,
    render(outcome, ctx) {
      if (outcome.kind === 'error') {
        const error = messages.localize(outcome, ctx.locale);
        return {
          status: error.validation ? VALIDATION_STATUS : error.status,
          body: {
            ok: false,
            type: 'error',
            action: error.action ?? 'error',
            data: null,
            message: messages.text(error, ctx.locale),
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
            type: { type: 'string', enum: ['success', 'info'] },
            action: STRING,
            data,
            message: nullable(STRING),
            meta: nullable(RECORD),
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

