// JSend: `success` with data, `fail` for client errors (field → message), `error` for server errors.

import type { Format, JsonSchema } from '../outcome';
import { issuesByField } from '../issues';
import { slot } from '../payload';
import { type MessageOptions, resolveMessages } from './messages';
import { ANY, STRING, constant, object, root, titled } from '../schema';
import { type Reader, describe, fail, failure, fieldIssues, has, isObject, asObject, optionalText, success, text } from './read';
import type { Bodies, Examples, Typed } from '../outcome';
import type { Slot } from '../body-types';
import { registryEntry } from '../preset';

export function jsend(options: MessageOptions = {}): Format & Typed<JsendBodies> {
  // jsend writes validation failures as a field map; only the 5xx text applies.
  const messages = resolveMessages('jsend', () => ({}), options);
  return {
    name: 'jsend',
    payload: 'slot',
    genericMessage: messages.genericMessage,
    read: jsendReader,
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

/** Reads a JSend body: `fail` field maps become issues; `error` keeps its code and data. */
export const jsendReader: Reader = (raw, ctx) => {
  const body = asObject(raw, 'status and data');
  const { status, data } = body;
  if (!(status === 'success' || status === 'fail' || status === 'error')) fail('"status" must be "success", "fail" or "error"');
  if (status === 'success') {
    if (!has(body, 'data')) fail('expected the key data');
    return success(ctx.status, data);
  }
  if (status === 'error') {
    const result = failure(ctx.status, text(body, 'message'), optionalText(body, 'code'));
    if (data !== undefined) result.data = data;
    return result;
  }
  if (!isObject(data)) fail(`"data" of a fail must be an object, got ${describe(data)}`);
  const keys = Object.keys(data);
  // `{ message }` alone is a failure's text; any other map is per-field messages.
  if (keys.length === 1 && keys[0] === 'message' && typeof data.message === 'string') return failure(ctx.status, data.message);
  const issues = fieldIssues(data, 'data');
  return failure(
    ctx.status,
    issues.length > 0 ? issues.map((i) => `${i.path}: ${i.message}`).join('; ') : 'Validation failed',
    undefined,
    issues,
  );
};

interface JsendSuccess<T> {
  status: 'success';
  data: Slot<T>;
}

/** JSend's bodies as types (`SuccessBody<'jsend', T>`, `ErrorBody<'jsend'>`). */
export interface JsendBodies extends Bodies {
  success: JsendSuccess<this['payload']>;
  error: { status: 'fail'; data: Record<string, string> } | { status: 'error'; message: string; code?: string };
}

/**
 * What jsend's page (docs/reference/presets/jsend.md, section "Examples") shows: each outcome, and the status
 * and body it renders to with the request id `req-1` on `/api/clients/9`. A test renders, validates
 * and decodes each one, and holds the page to them.
 */
export const jsendExamples: Examples = {
  preset: 'jsend',
  examples: [
    {
      title: 'a client',
      outcome: { kind: 'success', status: 200, data: { id: 1, name: 'Example' } },
      status: 200,
      body: { status: 'success', data: { id: 1, name: 'Example' } },
    },
    {
      title: 'a list',
      outcome: { kind: 'success', status: 200, data: [{ id: 1, name: 'Example' }] },
      status: 200,
      body: { status: 'success', data: [{ id: 1, name: 'Example' }] },
    },
    {
      title: 'not found',
      outcome: { kind: 'error', status: 404, message: 'Client not found', hard: false, validation: false },
      status: 404,
      body: { status: 'fail', data: { message: 'Client not found' } },
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
      body: { status: 'fail', data: { name: 'Required' } },
    },
  ],
};

/** What the registry (lib/presets.ts) takes from this module: the factory and the options it reads, and the reader. */
export const preset = /* @__PURE__ */ registryEntry(jsend);
export { jsendReader as reader };
