// Small builders for the JSON Schema 2020-12 documents that formats publish for their bodies, and the
// description of a spreading envelope's success body from its payload's schema.

import { EnvelopeError } from './errors';
import type { JsonSchema } from './outcome';

export const DIALECT = 'https://json-schema.org/draft/2020-12/schema';

/** Any JSON value. */
export const ANY: JsonSchema = {};
export const STRING: JsonSchema = { type: 'string' };
export const NULL: JsonSchema = { type: 'null' };
export const ERROR_STATUS: JsonSchema = { type: 'integer', minimum: 400, maximum: 599 };
/** An object of any keys (`meta`): generators type it as a record of unknown values, not an empty object. */
export const RECORD: JsonSchema = { type: 'object', additionalProperties: true };

/** The JSON type of a value, as JSON Schema names it. */
function jsonType(value: unknown): string | undefined {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  if (typeof value === 'string' || typeof value === 'boolean' || typeof value === 'object') return typeof value;
  return undefined;
}

/** One value, its type beside it (generators and narrowing read `type`; `const` alone is untyped to some). */
export function constant(value: unknown): JsonSchema {
  const type = jsonType(value);
  return type === undefined ? { const: value } : { type, const: value };
}

export function nullable(schema: JsonSchema): JsonSchema {
  return { anyOf: [schema, NULL] };
}

/**
 * An object with exactly these properties. `required` defaults to all of them; `rest` is what other
 * keys may hold: none by default; `'open'` leaves `additionalProperties` out (any key, but typed by
 * generators without an index signature, so a union of such objects can still be narrowed).
 */
export function object(
  properties: Record<string, JsonSchema>,
  required: string[] = Object.keys(properties),
  rest: boolean | 'open' | JsonSchema = false,
): JsonSchema {
  const schema: JsonSchema = { type: 'object', properties, required };
  if (rest !== 'open') schema.additionalProperties = rest;
  return schema;
}

/** A top-level document, with its dialect. */
export function root(schema: JsonSchema): JsonSchema {
  return { $schema: DIALECT, ...schema };
}

/** The schema with `title` when it has none (a `oneOf` branch named for readers and generators). */
export function titled(title: string, schema: JsonSchema): JsonSchema {
  return typeof schema.title === 'string' ? schema : { title, ...schema };
}

/** The schema without its own `$schema`: inside another schema or a document it speaks their dialect. */
export function embedded(schema: JsonSchema): JsonSchema {
  if (!Object.prototype.hasOwnProperty.call(schema, '$schema')) return schema;
  const rest = { ...schema };
  delete rest.$schema;
  return rest;
}

// ---------------------------------------------------------------------------------------------
// Spreading envelopes: `{ status: "OK", ...payload }` for an object payload, `{ status: "OK",
// result: payload }` for any other. The body's description follows the payload's schema.

/** Keywords that only annotate: they never refuse a value. */
const ANNOTATIONS = new Set([
  'title',
  'description',
  '$comment',
  'examples',
  'example',
  'default',
  'deprecated',
  'readOnly',
  'writeOnly',
  '$schema',
  '$id',
  '$anchor',
  'format',
  'contentMediaType',
  'contentEncoding',
  'externalDocs',
  'xml',
]);
/** Keywords by which an object schema refuses keys it does not name: the envelope's keys among them. */
const CLOSING = ['additionalProperties', 'unevaluatedProperties', 'patternProperties', 'propertyNames', 'maxProperties'];
/** Keywords an object payload's schema may have to be merged with the envelope into one object. */
const MERGEABLE = new Set([
  ...ANNOTATIONS,
  'type',
  'properties',
  'required',
  'additionalProperties',
  'unevaluatedProperties',
  'minProperties',
]);
/** Applicators whose subschemas also judge the body as a whole. */
const APPLICATORS = ['allOf', 'anyOf', 'oneOf', 'then', 'else', 'if', 'not', 'dependentSchemas'];

/** The components `$ref`s point into (`components.schemas`), while openApiResponses() describes one operation. */
let components: Record<string, unknown> | undefined;

/** Runs `describe` with `#/components/schemas/…` resolvable against `schemas`. */
export function withComponents<T>(schemas: Record<string, unknown> | undefined, describe: () => T): T {
  const outer = components;
  components = schemas;
  try {
    return describe();
  } finally {
    components = outer;
  }
}

function isRecord(value: unknown): value is JsonSchema {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export interface SpreadSpec {
  /** The format, as its messages name it (`statusOk`, `wispanel license`). */
  format: string;
  /** The key a non-object payload goes under (`result`, `Data`, `data`). */
  slot: string;
}

function refused(spec: SpreadSpec, message: string): EnvelopeError {
  return new EnvelopeError(
    'ERR_ENVELOPE_INVALID_OPTION',
    `openApiResponses(): the ${spec.format} envelope puts an object payload's keys beside its own, ${message}`,
  );
}

const PREFIX = '#/components/schemas/';

/** The schema a `$ref` points to, through chains of `$ref`s; `undefined` when it cannot be read here. */
function target(schema: JsonSchema, spec: SpreadSpec): JsonSchema {
  let current = schema;
  for (let hops = 0; typeof current.$ref === 'string'; hops++) {
    const ref = current.$ref;
    if (hops > 32) throw refused(spec, `and the $ref ${JSON.stringify(ref)} leads round in a circle`);
    if (!ref.startsWith(PREFIX) || ref.indexOf('/', PREFIX.length) !== -1) {
      throw refused(
        spec,
        `so it must read the payload's schema, and the $ref ${JSON.stringify(ref)} does not point into components.schemas: pass the schema itself as data, or a '#/components/schemas/Name' $ref with components`,
      );
    }
    if (components === undefined) {
      throw refused(
        spec,
        `so it must read the payload's schema: pass the document's components too (openApiResponses(preset, { data: { $ref: ${JSON.stringify(ref)} }, components: document.components })), or the schema itself as data`,
      );
    }
    let name = ref.slice(PREFIX.length);
    try {
      name = decodeURIComponent(name).replace(/~1/g, '/').replace(/~0/g, '~');
    } catch {
      // Not percent-encoded: the name as written.
    }
    const found = Object.prototype.hasOwnProperty.call(components, name) ? components[name] : undefined;
    if (!isRecord(found))
      throw refused(spec, `and components.schemas has no schema ${JSON.stringify(name)} for the $ref ${JSON.stringify(ref)}`);
    current = found;
  }
  return current;
}

/** Only annotations: any value at all. */
function isAny(schema: JsonSchema): boolean {
  return Object.keys(schema).every((key) => ANNOTATIONS.has(key));
}

/** Refuses no key of an object (at this level, in what its applicators and `$ref`s apply). */
function isOpen(schema: JsonSchema, spec: SpreadSpec, depth = 0): boolean {
  if (depth > 16) return false;
  const resolved = target(schema, spec);
  // `additionalProperties: {}` (zod's looseObject) allows anything, as `true` does.
  if (CLOSING.some((key) => key in resolved && resolved[key] !== true && !(isRecord(resolved[key]) && isAny(resolved[key])))) return false;
  for (const key of APPLICATORS) {
    const value = resolved[key];
    if (value === undefined) continue;
    if (key === 'not') return false;
    const branches = Array.isArray(value) ? value : key === 'dependentSchemas' && isRecord(value) ? Object.values(value) : [value];
    if (!branches.every((branch) => branch === true || (isRecord(branch) && isOpen(branch, spec, depth + 1)))) return false;
  }
  return true;
}

/** The JSON types a schema's `type` allows, or `undefined` when it names none. */
function typesOf(schema: JsonSchema): string[] | undefined {
  const { type } = schema;
  if (typeof type === 'string') return [type];
  if (Array.isArray(type) && type.every((t) => typeof t === 'string')) return type;
  return undefined;
}

interface Envelope {
  properties: Record<string, JsonSchema>;
  required: string[];
}

/** A non-object payload: under the slot key, the body closed over exactly these keys. */
function slotted(envelope: Envelope, payload: JsonSchema, spec: SpreadSpec): JsonSchema {
  return object({ ...envelope.properties, [spec.slot]: payload }, [...envelope.required, spec.slot]);
}

/** An object payload: its keys beside the envelope's. */
function spread(envelope: Envelope, payload: JsonSchema, resolved: JsonSchema, spec: SpreadSpec): JsonSchema {
  const own = (isRecord(resolved.properties) ? resolved.properties : {}) as Record<string, JsonSchema>;
  const clash = Object.keys(envelope.properties).find((key) => Object.prototype.hasOwnProperty.call(own, key));
  if (clash !== undefined) {
    throw new EnvelopeError(
      'ERR_ENVELOPE_RESERVED_KEY',
      `openApiResponses(): the ${spec.format} envelope owns the key "${clash}"; a success payload cannot use it`,
    );
  }
  // Open: the payload's schema (its $ref kept, so generators name the type) beside the envelope's.
  if (isOpen(payload, spec)) return { allOf: [object(envelope.properties, envelope.required, 'open'), payload] };
  // Closed: one object over both key sets; a closed payload inside an allOf would refuse the envelope's keys.
  const unmergeable = Object.keys(resolved).find((key) => !MERGEABLE.has(key));
  if (unmergeable !== undefined || (resolved.additionalProperties !== undefined && resolved.unevaluatedProperties !== undefined)) {
    throw refused(
      spec,
      `and its closed schema (additionalProperties or the like) cannot be joined with them because of its "${unmergeable ?? 'unevaluatedProperties'}": describe the payload with type, properties, required and additionalProperties only, or leave it open`,
    );
  }
  const merged: JsonSchema = {};
  for (const key of ['title', 'description']) if (resolved[key] !== undefined) merged[key] = resolved[key];
  const required = Array.isArray(resolved.required) ? resolved.required.filter((k): k is string => typeof k === 'string') : [];
  Object.assign(
    merged,
    object({ ...envelope.properties, ...own }, [...envelope.required, ...required.filter((k) => !envelope.required.includes(k))]),
  );
  merged.additionalProperties = resolved.additionalProperties ?? resolved.unevaluatedProperties;
  if (resolved.minProperties !== undefined) merged.minProperties = resolved.minProperties;
  return merged;
}

function describePayload(envelope: Envelope, payload: JsonSchema, spec: SpreadSpec, depth: number): JsonSchema {
  if (depth > 16) throw refused(spec, 'and its payload schema nests anyOf/oneOf too deeply to describe');
  const resolved = target(payload, spec);
  const types = typesOf(resolved);
  const keys = Object.keys(resolved).filter((key) => !ANNOTATIONS.has(key));
  const branches = keys.length === 1 && (keys[0] === 'anyOf' || keys[0] === 'oneOf') ? resolved[keys[0]] : undefined;
  if (Array.isArray(branches) && branches.length > 0 && branches.every(isRecord)) {
    // A union (z.union(), .nullable()): each branch where the wire puts it.
    return { anyOf: branches.map((branch) => describePayload(envelope, branch, spec, depth + 1)) };
  }
  if (types !== undefined && types.length > 0) {
    const others = types.filter((t) => t !== 'object');
    if (others.length === 0) return spread(envelope, payload, resolved, spec);
    if (others.length === types.length) return slotted(envelope, payload, spec);
    // Both: `{ type: ['object', 'null'], … }`.
    return {
      anyOf: [
        spread(envelope, { ...resolved, type: 'object' }, { ...resolved, type: 'object' }, spec),
        slotted(envelope, { ...resolved, type: others }, spec),
      ],
    };
  }
  if (isOpen(payload, spec)) {
    // No type to go by (`enum`, `const`, `not`…): either placement, as long as the payload's schema refuses no envelope key.
    return { anyOf: [{ allOf: [object(envelope.properties, envelope.required, 'open'), payload] }, slotted(envelope, payload, spec)] };
  }
  throw refused(spec, 'and its payload schema names no type (type: "object", "array", …) while it refuses some keys: give it a type');
}

/**
 * The success body of an envelope whose payload's keys sit beside its own (statusOk,
 * webServiceReturn, WisPanel license), as the wire sends it: an object payload spread (closed
 * payload schemas merged into one object with the envelope's keys), any other value under
 * `spec.slot`. Without `data`, any payload: the envelope and any other keys.
 */
export function spreading(
  properties: Record<string, JsonSchema>,
  required: string[],
  data: JsonSchema | undefined,
  spec: SpreadSpec,
): JsonSchema {
  if (data === undefined || isAny(target(data, spec))) return root(object(properties, required, true));
  return root(describePayload({ properties, required }, embedded(data), spec, 0));
}

/** An envelope that may carry other keys beside its own (an error's exposed `data`). */
export function spreadingError(properties: Record<string, JsonSchema>, required: string[] = Object.keys(properties)): JsonSchema {
  return root(object(properties, required, 'open'));
}
