// WisPanel: one API family, five error shapes (panel, portal, license, lean, bare).

import { EnvelopeError } from '../errors';
import { issuesByField } from '../issues';
import { type MessageOptions, resolveMessages } from './messages';
import type { ErrorOutcome, Format, JsonSchema, Outcome, PayloadPlacement, Rendered } from '../outcome';
import { slot, spreadPayload } from '../payload';
import { ANY, ERROR_STATUS, RECORD, STRING, constant, object, root, spreading } from '../schema';
import { statusTitle, upperSnake } from '../status';
import {
  type Body,
  type ReadContext,
  type ReadFailure,
  type ReadSuccess,
  type Reader,
  byStatus,
  describe,
  fail,
  failure,
  fieldIssues,
  has,
  isObject,
  asObject,
  optionalText,
  spreadData,
  spreadReader,
  success,
  text,
} from './read';
import type { Bodies, Examples, Typed } from '../outcome';
import type { Slot, Spread } from '../body-types';
import { registryEntry } from '../preset';

export type WispanelVariant = 'panel' | 'portal' | 'license' | 'lean' | 'bare';

export interface WispanelOptions extends MessageOptions {
  /**
   * Which of WisPanel's shapes to write. Defaults to `'panel'`.
   * @example envelope('wispanel', { variant: 'portal' })
   */
  variant?: WispanelVariant;
}

const VARIANTS: readonly WispanelVariant[] = ['panel', 'portal', 'license', 'lean', 'bare'];

const CODES: Readonly<Record<number, string>> = {
  400: 'VALIDATION_ERROR',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  422: 'VALIDATION_ERROR',
  429: 'RATE_LIMITED',
};

/** WisPanel's code for a status; an explicit code always wins over it. */
export function wispanelCode(status: number): string {
  return CODES[status] ?? (status >= 500 ? 'INTERNAL_ERROR' : upperSnake(statusTitle(status)));
}

interface VariantSpec {
  /** Validation status and default message (a catalog text); `fields` adds the `details` map. */
  validation: { status: number; message: 'validationFailed' | 'validationFailedShort' | 'invalidRequestData'; fields: boolean };
  error(outcome: ErrorOutcome, status: number, message: string, code: string): Record<string, unknown>;
  success(outcome: Outcome & { kind: 'success' | 'info' }): unknown;
  /** Where `success` puts the payload (lib/fast-text.ts). */
  payload: PayloadPlacement;
  errorSchema: JsonSchema;
  successSchema(data: JsonSchema): JsonSchema;
}

const DETAILS_SCHEMA: JsonSchema = {
  type: 'object',
  additionalProperties: { type: 'array', items: STRING, minItems: 1 },
};

function panelSuccess(outcome: { data: unknown; meta?: Record<string, unknown> }): unknown {
  return outcome.meta === undefined
    ? { success: true, data: slot(outcome.data) }
    : { success: true, data: slot(outcome.data), meta: outcome.meta };
}

const panelSuccessSchema = (data: JsonSchema): JsonSchema =>
  root(object({ success: constant(true), data, meta: RECORD }, ['success', 'data']));

const withDetails = (properties: Record<string, JsonSchema>, required: string[]): JsonSchema =>
  root(object({ ...properties, details: DETAILS_SCHEMA }, required));

// Marked pure: a client bundle that takes only the readers leaves the specs and their schemas out.
const SPECS: Record<WispanelVariant, VariantSpec> = /* @__PURE__ */ (() => ({
  panel: {
    validation: { status: 400, message: 'validationFailed', fields: false },
    error: (_o, status, message, code) => ({ success: false, code, error: message, message, status }),
    success: panelSuccess,
    payload: 'slot',
    errorSchema: root(object({ success: constant(false), code: STRING, error: STRING, message: STRING, status: ERROR_STATUS })),
    successSchema: panelSuccessSchema,
  },
  portal: {
    validation: { status: 422, message: 'validationFailedShort', fields: true },
    error: (_o, _s, message, code) => ({ success: false, error: message, code }),
    success: panelSuccess,
    payload: 'slot',
    errorSchema: withDetails({ success: constant(false), error: STRING, code: STRING }, ['success', 'error', 'code']),
    successSchema: panelSuccessSchema,
  },
  license: {
    validation: { status: 422, message: 'invalidRequestData', fields: true },
    error: (_o, _s, message, code) => ({ valid: false, error: message, code }),
    success: (outcome) => spreadPayload({ valid: true }, outcome.data, 'data', 'wispanel license'),
    payload: 'spread',
    errorSchema: withDetails({ valid: constant(false), error: STRING, code: STRING }, ['valid', 'error', 'code']),
    successSchema: (data) =>
      spreading({ valid: constant(true) }, ['valid'], data === ANY ? undefined : data, { format: 'wispanel license', slot: 'data' }),
  },
  lean: {
    validation: { status: 400, message: 'validationFailed', fields: false },
    error: (_o, _s, message, code) => ({ success: false, error: message, code }),
    success: panelSuccess,
    payload: 'slot',
    errorSchema: root(object({ success: constant(false), error: STRING, code: STRING })),
    successSchema: panelSuccessSchema,
  },
  bare: {
    validation: { status: 400, message: 'validationFailed', fields: false },
    error: (_o, _s, message) => ({ error: message }),
    success: (outcome) => outcome.data,
    payload: 'body',
    errorSchema: root(object({ error: STRING })),
    successSchema: (data) => root(data),
  },
}))();

export function wispanel(options: WispanelOptions = {}): Format & Typed<WispanelBodies> {
  const variant = options.variant ?? 'panel';
  if (!VARIANTS.includes(variant)) {
    throw new EnvelopeError(
      'ERR_ENVELOPE_INVALID_OPTION',
      `wispanel: variant must be one of ${VARIANTS.join(', ')}; got ${JSON.stringify(variant)}`,
    );
  }
  const spec = SPECS[variant];
  const messages = resolveMessages('wispanel', (catalog) => ({ validation: catalog[spec.validation.message] }), options);
  return {
    name: variant === 'panel' ? 'wispanel' : `wispanel:${variant}`,
    genericMessage: messages.genericMessage,
    payload: spec.payload,
    read: wispanelReaders[variant],
    render(result, ctx): Rendered {
      if (result.kind !== 'error') return { status: result.status, body: spec.success(result) };
      const outcome = messages.localize(result, ctx.locale);
      const code = outcome.code ?? (outcome.validation ? 'VALIDATION_ERROR' : wispanelCode(outcome.status));
      if (!outcome.validation) {
        return { status: outcome.status, body: spec.error(outcome, outcome.status, outcome.message, code) };
      }
      const { status, fields } = spec.validation;
      const body = spec.error(outcome, status, messages.text(outcome, ctx.locale), code);
      if (fields) body.details = issuesByField(outcome.details?.length ? outcome.details : [{ path: '', message: outcome.message }]);
      return { status, body };
    },
    schemas(data: JsonSchema = ANY) {
      return { success: spec.successSchema(data), error: spec.errorSchema };
    },
  };
}

/** A WisPanel `{ success: true, data, meta? }`. */
function readPanelSuccess(ctx: ReadContext, body: Body): ReadSuccess {
  if (!has(body, 'data')) fail('expected the key data');
  const result = success(ctx.status, body.data);
  if (body.meta !== undefined) {
    if (!isObject(body.meta)) fail('"meta" must be an object');
    result.meta = body.meta;
  }
  return result;
}

/** A WisPanel error with `error` and `code`, and the `details` field map where the variant has one. */
function readPanelFailure(ctx: ReadContext, body: Body, withDetails: boolean): ReadFailure {
  const error = text(body, 'error');
  const result = failure(ctx.status, optionalText(body, 'message') ?? error, text(body, 'code'));
  if (withDetails && body.details !== undefined) {
    if (!isObject(body.details)) fail('"details" must be an object');
    result.issues = fieldIssues(body.details, 'details');
  }
  return result;
}

/** The reader of a variant that says `success: true | false`. */
function flagged(keys: string, withDetails: boolean): Reader {
  return (raw, ctx) => {
    const body = asObject(raw, keys);
    if (typeof body.success !== 'boolean') fail(`"success" must be a boolean, got ${describe(body.success)}`);
    return body.success ? readPanelSuccess(ctx, body) : readPanelFailure(ctx, body, withDetails);
  };
}

/** The reader of each WisPanel variant. */
export const wispanelReaders: Readonly<Record<WispanelVariant, Reader>> = {
  panel: flagged('success, code, error, message and status', false),
  portal: flagged('success, error and code', true),
  license: spreadReader({
    key: 'valid',
    slot: 'data',
    known: { true: true },
    read(valid, data, ctx) {
      if (typeof valid !== 'boolean') fail(`"valid" must be a boolean, got ${describe(valid)}`);
      return valid ? success(ctx.status, spreadData(data, 'data')) : readPanelFailure(ctx, data, true);
    },
  }),
  lean: flagged('success, error and code', false),
  bare: byStatus((body, ctx) => failure(ctx.status, text(body, 'error')), 'error'),
};

interface PanelSuccess<T> {
  success: true;
  data: Slot<T>;
  meta?: Record<string, unknown>;
}

/** WisPanel's field map of a validation failure: field → its messages. */
type Details = Record<string, string[]>;

interface WispanelSuccesses<T> {
  panel: PanelSuccess<T>;
  portal: PanelSuccess<T>;
  license: Spread<{ valid: true }, T, 'data'>;
  lean: PanelSuccess<T>;
  bare: T;
}

interface WispanelErrors {
  panel: { success: false; code: string; error: string; message: string; status: number };
  portal: { success: false; error: string; code: string; details?: Details };
  license: { valid: false; error: string; code: string; details?: Details };
  lean: { success: false; error: string; code: string };
  bare: { error: string };
}

/** WisPanel's bodies as types, by variant (`SuccessBody<'wispanel', T, 'portal'>`). */
export interface WispanelBodies extends Bodies {
  variant: WispanelVariant;
  defaultVariant: 'panel';
  success: WispanelSuccesses<this['payload']>[this['variant']];
  error: WispanelErrors[this['variant']];
}

/**
 * What wispanel's page (docs/reference/presets/wispanel.md, section "Examples") shows: each outcome, and the status
 * and body it renders to with the request id `req-1` on `/api/clients/9`. A test renders, validates
 * and decodes each one, and holds the page to them.
 */
export const wispanelExamples: Examples = {
  preset: 'wispanel',
  examples: [
    {
      title: 'a client',
      variant: 'panel',
      outcome: { kind: 'success', status: 200, data: { id: 1, name: 'Example' } },
      status: 200,
      body: { success: true, data: { id: 1, name: 'Example' } },
    },
    {
      title: 'a list',
      variant: 'panel',
      outcome: { kind: 'success', status: 200, data: [{ id: 1, name: 'Example' }] },
      status: 200,
      body: { success: true, data: [{ id: 1, name: 'Example' }] },
    },
    {
      title: 'not found',
      variant: 'panel',
      outcome: { kind: 'error', status: 404, message: 'Client not found', hard: false, validation: false },
      status: 404,
      body: { success: false, code: 'NOT_FOUND', error: 'Client not found', message: 'Client not found', status: 404 },
    },
    {
      title: 'a validation failure',
      variant: 'panel',
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
        success: false,
        code: 'VALIDATION_ERROR',
        error: 'Validation failed: name: Required',
        message: 'Validation failed: name: Required',
        status: 400,
      },
    },
    {
      title: 'a client',
      variant: 'portal',
      outcome: { kind: 'success', status: 200, data: { id: 1, name: 'Example' } },
      status: 200,
      body: { success: true, data: { id: 1, name: 'Example' } },
    },
    {
      title: 'a list',
      variant: 'portal',
      outcome: { kind: 'success', status: 200, data: [{ id: 1, name: 'Example' }] },
      status: 200,
      body: { success: true, data: [{ id: 1, name: 'Example' }] },
    },
    {
      title: 'not found',
      variant: 'portal',
      outcome: { kind: 'error', status: 404, message: 'Client not found', hard: false, validation: false },
      status: 404,
      body: { success: false, error: 'Client not found', code: 'NOT_FOUND' },
    },
    {
      title: 'a validation failure',
      variant: 'portal',
      outcome: {
        kind: 'error',
        status: 422,
        message: 'Validation failed',
        hard: false,
        validation: true,
        details: [{ path: 'name', message: 'Required' }],
      },
      status: 422,
      body: { success: false, error: 'Validation failed', code: 'VALIDATION_ERROR', details: { name: ['Required'] } },
    },
    {
      title: 'a client',
      variant: 'license',
      outcome: { kind: 'success', status: 200, data: { id: 1, name: 'Example' } },
      status: 200,
      body: { valid: true, id: 1, name: 'Example' },
    },
    {
      title: 'a list',
      variant: 'license',
      outcome: { kind: 'success', status: 200, data: [{ id: 1, name: 'Example' }] },
      status: 200,
      body: { valid: true, data: [{ id: 1, name: 'Example' }] },
    },
    {
      title: 'not found',
      variant: 'license',
      outcome: { kind: 'error', status: 404, message: 'Client not found', hard: false, validation: false },
      status: 404,
      body: { valid: false, error: 'Client not found', code: 'NOT_FOUND' },
    },
    {
      title: 'a validation failure',
      variant: 'license',
      outcome: {
        kind: 'error',
        status: 422,
        message: 'Validation failed',
        hard: false,
        validation: true,
        details: [{ path: 'name', message: 'Required' }],
      },
      status: 422,
      body: { valid: false, error: 'Invalid request data', code: 'VALIDATION_ERROR', details: { name: ['Required'] } },
    },
    {
      title: 'a client',
      variant: 'lean',
      outcome: { kind: 'success', status: 200, data: { id: 1, name: 'Example' } },
      status: 200,
      body: { success: true, data: { id: 1, name: 'Example' } },
    },
    {
      title: 'a list',
      variant: 'lean',
      outcome: { kind: 'success', status: 200, data: [{ id: 1, name: 'Example' }] },
      status: 200,
      body: { success: true, data: [{ id: 1, name: 'Example' }] },
    },
    {
      title: 'not found',
      variant: 'lean',
      outcome: { kind: 'error', status: 404, message: 'Client not found', hard: false, validation: false },
      status: 404,
      body: { success: false, error: 'Client not found', code: 'NOT_FOUND' },
    },
    {
      title: 'a validation failure',
      variant: 'lean',
      outcome: {
        kind: 'error',
        status: 422,
        message: 'Validation failed',
        hard: false,
        validation: true,
        details: [{ path: 'name', message: 'Required' }],
      },
      status: 400,
      body: { success: false, error: 'Validation failed: name: Required', code: 'VALIDATION_ERROR' },
    },
    {
      title: 'a client',
      variant: 'bare',
      outcome: { kind: 'success', status: 200, data: { id: 1, name: 'Example' } },
      status: 200,
      body: { id: 1, name: 'Example' },
    },
    {
      title: 'a list',
      variant: 'bare',
      outcome: { kind: 'success', status: 200, data: [{ id: 1, name: 'Example' }] },
      status: 200,
      body: [{ id: 1, name: 'Example' }],
    },
    {
      title: 'not found',
      variant: 'bare',
      outcome: { kind: 'error', status: 404, message: 'Client not found', hard: false, validation: false },
      status: 404,
      body: { error: 'Client not found' },
    },
    {
      title: 'a validation failure',
      variant: 'bare',
      outcome: {
        kind: 'error',
        status: 422,
        message: 'Validation failed',
        hard: false,
        validation: true,
        details: [{ path: 'name', message: 'Required' }],
      },
      status: 400,
      body: { error: 'Validation failed: name: Required' },
    },
  ],
};

/** What the registry (lib/presets.ts) takes from this module: the factory and the options it reads, and the reader. */
export const preset = /* @__PURE__ */ registryEntry(wispanel, { messages: true, variant: true });
export { wispanelReaders as reader };
