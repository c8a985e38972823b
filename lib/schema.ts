// Small builders for the JSON Schema 2020-12 documents that formats publish for their bodies.

import type { JsonSchema } from './outcome';

export const DIALECT = 'https://json-schema.org/draft/2020-12/schema';

/** Any JSON value. */
export const ANY: JsonSchema = {};
export const STRING: JsonSchema = { type: 'string' };
export const NULL: JsonSchema = { type: 'null' };
export const ERROR_STATUS: JsonSchema = { type: 'integer', minimum: 400, maximum: 599 };

export function constant(value: unknown): JsonSchema {
  return { const: value };
}

export function nullable(schema: JsonSchema): JsonSchema {
  return { anyOf: [schema, NULL] };
}

/**
 * An object with exactly these properties. `required` defaults to all of them; `rest` is what other
 * keys may hold (none by default).
 */
export function object(
  properties: Record<string, JsonSchema>,
  required: string[] = Object.keys(properties),
  rest: boolean | JsonSchema = false,
): JsonSchema {
  return { type: 'object', properties, required, additionalProperties: rest };
}

/** A top-level document, with its dialect. */
export function root(schema: JsonSchema): JsonSchema {
  return { $schema: DIALECT, ...schema };
}

/**
 * An envelope whose payload keys sit beside its own: the envelope's keys, and `data`'s where given.
 * A closed `data` (`additionalProperties: false`, as zod's `z.toJSONSchema()` writes objects) would
 * refuse the envelope's keys inside an `allOf`: the body is closed over both key sets instead.
 */
export function spreading(envelope: JsonSchema, data?: JsonSchema): JsonSchema {
  if (!data) return root(envelope);
  if (data.additionalProperties !== false) return root({ allOf: [envelope, data] });
  const open = (schema: JsonSchema): JsonSchema => {
    const copy = { ...schema };
    delete copy.additionalProperties;
    return copy;
  };
  return root({ type: 'object', allOf: [open(envelope), open(data)], unevaluatedProperties: false });
}
