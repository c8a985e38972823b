// WispHub's BackendResponse: `{ ok, type, action, data, message, meta }`, Spanish fixed texts.

import { joinIssues } from '../issues';
import type { Format, JsonSchema } from '../outcome';
import { slot } from '../payload';
import { ANY, NULL, STRING, constant, nullable, object, root } from '../schema';
import { statusTitle } from '../status';

const VALIDATION_STATUS = 422;
const INTERNAL_ERROR = 'Ocurrió un error interno en el servidor.';

export function backendResponse(): Format {
  return {
    name: 'backendResponse',
    genericMessage: (status) => (status >= 500 ? INTERNAL_ERROR : statusTitle(status)),
    render(outcome) {
      if (outcome.kind === 'error') {
        return {
          status: outcome.validation ? VALIDATION_STATUS : outcome.status,
          body: {
            ok: false,
            type: 'error',
            action: outcome.action ?? 'error',
            data: null,
            message: outcome.validation
              ? `Error de validación: ${outcome.details ? joinIssues(outcome.details) : outcome.message}`
              : outcome.message,
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

