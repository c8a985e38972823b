// WispHub's BackendResponse: `{ ok, type, action, data, message, meta }`, Spanish fixed texts.

import { type MessageOptions, resolveMessages } from './messages';
import type { Format, JsonSchema } from '../outcome';
import { slot } from '../payload';
import { ANY, NULL, RECORD, STRING, constant, nullable, object, root } from '../schema';
import { type Reader, describe, fail, failure, has, isObject, asObject, success, text } from './read';
import type { Bodies, Examples, Typed } from '../outcome';
import type { Slot } from '../body-types';
import { registryEntry } from '../preset';

const VALIDATION_STATUS = 422;
export function backendResponse(options: MessageOptions = {}): Format & Typed<BackendResponseBodies> {
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
    read: backendResponseReader,
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

/** Reads a BackendResponse: `ok` and `type` must agree; `type: "info"` is a success of kind info. */
export const backendResponseReader: Reader = (raw, ctx) => {
  const body = asObject(raw, 'ok, type, action, data, message and meta');
  const { ok, type } = body;
  if (typeof ok !== 'boolean') fail(`"ok" must be a boolean, got ${describe(ok)}`);
  if (!(type === 'success' || type === 'info' || type === 'error')) fail('"type" must be "success", "info" or "error"');
  if (ok !== (type !== 'error')) fail(`"ok" is ${ok} but "type" is "${type}"`);
  const action = text(body, 'action');
  if (!(body.message === null || typeof body.message === 'string')) fail('"message" must be a string or null');
  if (!ok) {
    const result = failure(ctx.status, body.message as string);
    result.action = action;
    return result;
  }
  if (!has(body, 'data')) fail('expected the key data');
  if (!(body.meta === null || isObject(body.meta))) fail('"meta" must be an object or null');
  const result = success(ctx.status, body.data, type as 'success' | 'info');
  result.action = action;
  if (body.message !== null) result.message = body.message;
  if (body.meta !== null) result.meta = body.meta;
  return result;
};

interface BackendSuccess<T> {
  ok: true;
  type: 'success' | 'info';
  action: string;
  data: Slot<T>;
  message: string | null;
  meta: Record<string, unknown> | null;
}

/** BackendResponse's bodies as types (`SuccessBody<'backendResponse', T>`, alias `wisphub`). */
export interface BackendResponseBodies extends Bodies {
  success: BackendSuccess<this['payload']>;
  error: { ok: false; type: 'error'; action: string; data: null; message: string; meta: null };
}

/**
 * What backendResponse's page (docs/reference/presets/backend-response.md, section "Examples") shows: each outcome, and the status
 * and body it renders to with the request id `req-1` on `/api/clients/9`. A test renders, validates
 * and decodes each one, and holds the page to them.
 */
export const backendResponseExamples: Examples = {
  preset: 'backendResponse',
  examples: [
    {
      title: 'a client',
      outcome: { kind: 'success', status: 200, data: { id: 1, name: 'Example' } },
      status: 200,
      body: { ok: true, type: 'success', action: 'success', data: { id: 1, name: 'Example' }, message: null, meta: null },
    },
    {
      title: 'a list',
      outcome: { kind: 'success', status: 200, data: [{ id: 1, name: 'Example' }] },
      status: 200,
      body: { ok: true, type: 'success', action: 'success', data: [{ id: 1, name: 'Example' }], message: null, meta: null },
    },
    {
      title: 'not found',
      outcome: { kind: 'error', status: 404, message: 'Client not found', hard: false, validation: false },
      status: 404,
      body: { ok: false, type: 'error', action: 'error', data: null, message: 'Client not found', meta: null },
    },
    {
      title: 'a validation failure',
      outcome: {
        kind: 'error',
        status: 422,
        message: 'Validation failed',
        hard: false,
        validation: true,
        details: [{ path: 'name', message: 'Required' }],
      },
      status: 422,
      body: { ok: false, type: 'error', action: 'error', data: null, message: 'Error de validación: name: Required', meta: null },
    },
  ],
};

/** What the registry (lib/presets.ts) takes from this module: the factory and the options it reads, and the reader. */
export const preset = /* @__PURE__ */ registryEntry(backendResponse);
export { backendResponseReader as reader };
