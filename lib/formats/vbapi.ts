// VBAPI: `{ data, error, debug }`, the error an RFC 9457-like object, the request id as activityId.

import { type MessageOptions, type Messages, resolveMessages } from './messages';
import type { ErrorOutcome, Format, JsonSchema, Outcome, RenderContext, Rendered } from '../outcome';
import { slot } from '../payload';
import { headerJson } from '../serialize';
import { ANY, ERROR_STATUS, NULL, STRING, object, root } from '../schema';
import { type Reader, fail, failure, has, isObject, asObject, optionalText, success, text } from './read';
import type { Bodies, Examples, Typed } from '../outcome';
import type { Slot } from '../body-types';
import { registryEntry } from '../preset';

const VALIDATION_STATUS = 400;

function debugSlot(ctx: RenderContext, outcome: Outcome): Record<string, string> {
  return outcome.kind === 'error' && outcome.stack !== undefined
    ? { activityId: ctx.requestId, stack: outcome.stack }
    : { activityId: ctx.requestId };
}

function renderError(result: ErrorOutcome, ctx: RenderContext, messages: Messages): Rendered {
  const outcome = messages.localize(result, ctx.locale);
  const status = outcome.validation ? VALIDATION_STATUS : outcome.status;
  const detail = messages.text(outcome, ctx.locale);
  return {
    status,
    body: {
      data: null,
      error: {
        type: `https://httpstatuses.com/${status}`,
        title: messages.title(status, ctx.locale),
        status,
        detail,
        instance: ctx.instance,
      },
      debug: debugSlot(ctx, outcome),
    },
  };
}

const DEBUG_SCHEMA = /* @__PURE__ */ object({ activityId: { type: 'string', minLength: 1 }, stack: STRING }, ['activityId']);

export function vbapi(options: MessageOptions = {}): Format & Typed<VbapiBodies> {
  const messages = resolveMessages('vbapi', (catalog) => ({ validation: catalog.validationFailed }), options);
  return {
    name: 'vbapi',
    payload: 'slot',
    genericMessage: messages.genericMessage,
    read: vbapiReader,
    render(outcome, ctx) {
      if (outcome.kind === 'error') return renderError(outcome, ctx, messages);
      const rendered: Rendered = {
        status: outcome.status,
        body: { data: slot(outcome.data), error: null, debug: debugSlot(ctx, outcome) },
      };
      // Pagination travels in a header, as VBAPI's own clients expect, never in the body.
      if (outcome.meta !== undefined) rendered.headers = { 'X-Pagination': headerJson(outcome.meta) };
      return rendered;
    },
    schemas(data: JsonSchema = ANY) {
      return {
        success: root(object({ data, error: NULL, debug: DEBUG_SCHEMA })),
        error: root(
          object({
            data: NULL,
            error: object({
              type: { type: 'string', pattern: '^https://httpstatuses\\.com/[45][0-9]{2}$' },
              title: STRING,
              status: ERROR_STATUS,
              detail: STRING,
              instance: STRING,
            }),
            debug: DEBUG_SCHEMA,
          }),
        ),
      };
    },
  };
}

/** Reads a vbapi body: `error: null` is a success; the request id is `debug.activityId`; pagination from `X-Pagination`. */
export const vbapiReader: Reader = (raw, ctx) => {
  const body = asObject(raw, 'data, error and debug');
  if (!(has(body, 'data') && has(body, 'error'))) fail('expected the keys data, error and debug');
  const debug = body.debug;
  if (!(isObject(debug) && typeof debug.activityId === 'string')) fail('"debug.activityId" must be a string');
  let result;
  if (body.error === null) {
    result = success(ctx.status, body.data);
    const pagination = ctx.header('X-Pagination');
    if (pagination !== undefined) {
      try {
        const meta: unknown = JSON.parse(pagination);
        if (isObject(meta)) result.meta = meta;
      } catch {
        // A header that is not JSON is no pagination; the body is still what it is.
      }
    }
  } else {
    const error = asObject(body.error, 'type, title, status, detail and instance');
    for (const key of ['type', 'title', 'instance']) optionalText(error, key);
    if (!(error.status === undefined || typeof error.status === 'number')) fail('"error.status" must be a number');
    result = failure(ctx.status, text(error, 'detail'));
  }
  result.requestId = debug.activityId;
  return result;
};

/** vbapi's `debug`: the request id, and the stack only when debug output is on. */
interface VbapiDebug {
  activityId: string;
  stack?: string;
}

interface VbapiSuccess<T> {
  data: Slot<T>;
  error: null;
  debug: VbapiDebug;
}

/** vbapi's bodies as types (`SuccessBody<'vbapi', T>`, `ErrorBody<'vbapi'>`). */
export interface VbapiBodies extends Bodies {
  success: VbapiSuccess<this['payload']>;
  error: {
    data: null;
    error: { type: string; title: string; status: number; detail: string; instance: string };
    debug: VbapiDebug;
  };
}

/**
 * What vbapi's page (docs/reference/presets/vbapi.md, section "Examples") shows: each outcome, and the status
 * and body it renders to with the request id `req-1` on `/api/clients/9`. A test renders, validates
 * and decodes each one, and holds the page to them.
 */
export const vbapiExamples: Examples = {
  preset: 'vbapi',
  examples: [
    {
      title: 'a client',
      outcome: { kind: 'success', status: 200, data: { id: 1, name: 'Example' } },
      status: 200,
      body: { data: { id: 1, name: 'Example' }, error: null, debug: { activityId: 'req-1' } },
    },
    {
      title: 'a list',
      outcome: { kind: 'success', status: 200, data: [{ id: 1, name: 'Example' }] },
      status: 200,
      body: { data: [{ id: 1, name: 'Example' }], error: null, debug: { activityId: 'req-1' } },
    },
    {
      title: 'not found',
      outcome: { kind: 'error', status: 404, message: 'Client not found', hard: false, validation: false },
      status: 404,
      body: {
        data: null,
        error: {
          type: 'https://httpstatuses.com/404',
          title: 'Not Found',
          status: 404,
          detail: 'Client not found',
          instance: '/api/clients/9',
        },
        debug: { activityId: 'req-1' },
      },
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
      status: 400,
      body: {
        data: null,
        error: {
          type: 'https://httpstatuses.com/400',
          title: 'Bad Request',
          status: 400,
          detail: 'Validation failed: name: Required',
          instance: '/api/clients/9',
        },
        debug: { activityId: 'req-1' },
      },
    },
  ],
};

/** What the registry (lib/presets.ts) takes from this module: the factory and the options it reads, and the reader. */
export const preset = /* @__PURE__ */ registryEntry(vbapi);
export { vbapiReader as reader };
