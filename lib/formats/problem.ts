// RFC 9457 problem details for errors; success bodies go out unchanged.

import { issuePointer } from '../issues';
import { type MessageOptions, resolveMessages } from './messages';
import type { Format, JsonSchema } from '../outcome';
import { ANY, ERROR_STATUS, STRING, object, root } from '../schema';
import { EnvelopeError } from '../errors';
import { type Reader, byStatus, fail, failure, asObject, optionalText, pointerPath, text } from './read';
import type { Bodies, Examples, Typed } from '../outcome';
import { registryEntry } from '../preset';

const CONTENT_TYPE = { 'Content-Type': 'application/problem+json; charset=utf-8' };
const VALIDATION_STATUS = 400;
/** A W3C trace id: 32 lowercase hex digits. */
const TRACE_ID = { type: 'string', pattern: '^[0-9a-f]{32}$' };

export interface ProblemOptions extends MessageOptions {
  /**
   * The `type` of validation problems (the type that defines their `errors` extension): an
   * absolute URI. Defaults to `'about:blank'`, which RFC 9457 says means "no more than the status".
   * @example envelope('problem', { validationType: 'https://api.example.com/problems/validation' })
   */
  validationType?: string;
  /**
   * Adds `traceId` (the request's trace id: the active OpenTelemetry span's, else a valid
   * `traceparent`'s read by `requestId({ traceparent: true })`) to every error body, as an extension
   * member, when there is one. Defaults to `false`.
   * @example envelope('problem', { traceId: true })
   */
  traceId?: boolean;
}

const ABSOLUTE_URI = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$/;

export function problem(options: ProblemOptions = {}): Format & Typed<ProblemBodies> {
  const validationType = options.validationType ?? 'about:blank';
  if (typeof validationType !== 'string' || !ABSOLUTE_URI.test(validationType)) {
    throw new EnvelopeError(
      'ERR_ENVELOPE_INVALID_OPTION',
      `problem: validationType must be an absolute URI; got ${JSON.stringify(validationType)}`,
    );
  }
  const withTraceId = options.traceId ?? false;
  if (typeof withTraceId !== 'boolean') throw new EnvelopeError('ERR_ENVELOPE_INVALID_OPTION', 'problem: traceId must be a boolean');
  const messages = resolveMessages('problem', () => ({ validation: '{issues}' }), options);
  return {
    name: 'problem',
    payload: 'body',
    genericMessage: messages.genericMessage,
    read: problemReader,
    render(result, ctx) {
      if (result.kind !== 'error') return { status: result.status, body: result.data };
      const outcome = messages.localize(result, ctx.locale);
      const status = outcome.validation ? VALIDATION_STATUS : outcome.status;
      const body: Record<string, unknown> = {
        type: outcome.type ?? (outcome.validation ? validationType : 'about:blank'),
        title: messages.title(status, ctx.locale),
        status,
        detail: messages.text(outcome, ctx.locale),
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
      if (withTraceId) {
        const traceId = ctx.traceId;
        if (traceId !== undefined) body.traceId = traceId;
      }
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
              ...(withTraceId ? { traceId: TRACE_ID } : {}),
            },
            ['type', 'title', 'status', 'detail', 'instance'],
          ),
        ),
      };
    },
  };
}

/**
 * Reads problem details: a success is the body as it is; an error's code is its `code`, else a
 * `type` that is not `about:blank`; `errors[].pointer` back to dotted paths.
 */
export const problemReader: Reader = byStatus((body, ctx) => {
  const detail = optionalText(body, 'detail');
  const title = optionalText(body, 'title');
  const type = optionalText(body, 'type');
  if (!(detail !== undefined || title !== undefined)) fail('expected a problem details object with "title" or "detail"');
  if (!(body.status === undefined || typeof body.status === 'number')) fail('"status" must be a number');
  optionalText(body, 'instance');
  const code = optionalText(body, 'code') ?? (type !== undefined && type !== 'about:blank' ? type : undefined);
  const result = failure(ctx.status, (detail ?? title) as string, code);
  if (body.errors !== undefined) {
    if (!Array.isArray(body.errors)) fail('"errors" must be an array');
    result.issues = body.errors.map((item: unknown) => {
      const entry = asObject(item, 'detail and pointer');
      const pointer = optionalText(entry, 'pointer');
      let path = '';
      try {
        if (pointer !== undefined) path = pointerPath(pointer);
      } catch {
        fail(`"errors[].pointer" is not a valid URI fragment: ${pointer}`);
      }
      return { path, message: text(entry, 'detail') };
    });
  }
  return result;
}, 'type, title, status, detail and instance');

/** Problem details' bodies as types: a success is the payload itself. */
export interface ProblemBodies extends Bodies {
  success: this['payload'];
  error: {
    type: string;
    title: string;
    status: number;
    detail: string;
    instance: string;
    code?: string;
    errors?: { detail: string; pointer: string }[];
    stack?: string;
    /** With the `traceId` option, when the request has a trace. */
    traceId?: string;
  };
}

/**
 * What problem's page (docs/reference/presets/problem.md, section "Examples") shows: each outcome, and the status
 * and body it renders to with the request id `req-1` on `/api/clients/9`. A test renders, validates
 * and decodes each one, and holds the page to them.
 */
export const problemExamples: Examples = {
  preset: 'problem',
  examples: [
    {
      title: 'a client',
      outcome: { kind: 'success', status: 200, data: { id: 1, name: 'Example' } },
      status: 200,
      body: { id: 1, name: 'Example' },
    },
    {
      title: 'a list',
      outcome: { kind: 'success', status: 200, data: [{ id: 1, name: 'Example' }] },
      status: 200,
      body: [{ id: 1, name: 'Example' }],
    },
    {
      title: 'not found',
      outcome: { kind: 'error', status: 404, message: 'Client not found', hard: false, validation: false },
      status: 404,
      body: { type: 'about:blank', title: 'Not Found', status: 404, detail: 'Client not found', instance: '/api/clients/9' },
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
        type: 'about:blank',
        title: 'Bad Request',
        status: 400,
        detail: 'name: Required',
        instance: '/api/clients/9',
        errors: [{ detail: 'Required', pointer: '#/name' }],
      },
    },
  ],
};

/** What the registry (lib/presets.ts) takes from this module: the factory and the options it reads, and the reader. */
export const preset = /* @__PURE__ */ registryEntry(problem, { messages: true, validationType: true, traceId: true });
export { problemReader as reader };
