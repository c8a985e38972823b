// Asserts a response exactly (status, raw body text, headers) and checks its body against the
// format's own JSON Schema, so renderers and schemas cannot drift apart.

import Ajv2020 from 'ajv/dist/2020';
import type { Response } from 'supertest';
import type { Format, JsonSchema } from '../../index';
import { resolveFormat } from '../../lib/registry';

const ajv = new Ajv2020({ strict: true, allErrors: true });
const compiled = new WeakMap<JsonSchema, ReturnType<typeof ajv.compile>>();

function validator(schema: JsonSchema): ReturnType<typeof ajv.compile> {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  return validate;
}

const schemaCache = new Map<string, { success: JsonSchema; error: JsonSchema }>();

function schemasOf(format: Format | string, options?: Record<string, unknown>): { success: JsonSchema; error: JsonSchema } {
  if (typeof format !== 'string') return format.schemas();
  const key = format + JSON.stringify(options ?? {});
  let schemas = schemaCache.get(key);
  if (!schemas) {
    schemas = resolveFormat(format, options).schemas();
    schemaCache.set(key, schemas);
  }
  return schemas;
}

/** Validates a parsed body against one of a format's schemas; throws with ajv's errors if it fails. */
export function assertSchema(format: Format | string, kind: 'success' | 'error', body: unknown, options?: Record<string, unknown>): void {
  const validate = validator(schemasOf(format, options)[kind]);
  if (!validate(body)) {
    throw new Error(
      `${typeof format === 'string' ? format : format.name} ${kind} body does not match its schema: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body)}`,
    );
  }
}

export const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export interface Expected {
  format: Format | string;
  /** Preset options (wispanel's `variant`) for the schema. */
  options?: Record<string, unknown>;
  kind: 'success' | 'error';
  status: number;
  /** The exact body: compared as raw text, so key order counts. A string is compared as is. */
  body: unknown;
  /** Headers that must be present with exactly these values. */
  headers?: Record<string, string>;
  contentType?: string;
}

/**
 * Every response the package writes carries X-Request-Id; errors carry nosniff; the body is exactly
 * `expected.body` and validates against the format's schema.
 */
export function expectEnvelope(res: Response, expected: Expected): void {
  const text = typeof expected.body === 'string' ? expected.body : JSON.stringify(expected.body);
  expect({ status: res.status, text: res.text }).toEqual({ status: expected.status, text });
  expect(res.headers['content-type']).toBe(expected.contentType ?? 'application/json; charset=utf-8');
  expect(res.headers['x-request-id']).toEqual(expect.any(String));
  if (expected.kind === 'error') expect(res.headers['x-content-type-options']).toBe('nosniff');
  else expect(res.headers['x-content-type-options']).toBeUndefined();
  for (const [name, value] of Object.entries(expected.headers ?? {})) {
    expect([name, res.headers[name.toLowerCase()]]).toEqual([name, value]);
  }
  if (res.text !== '') assertSchema(expected.format, expected.kind, JSON.parse(res.text), expected.options);
}
