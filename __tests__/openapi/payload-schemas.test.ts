// What openApiResponses() writes for each kind of payload, checked against bodies the formats really
// render: non-object payloads of spreading presets under their slot, $ref payloads with open and
// closed components, no-body statuses, meta, titled oneOf branches, typed consts, the dialect, the
// X-Request-Id descriptions, and hostile options and custom formats refused with their codes.

import Ajv2020 from 'ajv/dist/2020';
import { z } from 'zod';
import { EnvelopeError, type JsonSchema, type OpenApiResponses, defineFormat, openApiResponses } from '../../index';
import { resolveFormat } from '../../lib/registry';

const DIALECT = 'https://json-schema.org/draft/2020-12/schema';
const CTX = { requestId: 'id-1', instance: '/x', debug: false };
const Client = z.object({ id: z.number().int(), name: z.string() });
const closed = z.toJSONSchema(Client) as JsonSchema;
const open = z.toJSONSchema(z.looseObject({ id: z.number().int(), name: z.string() })) as JsonSchema;
const COMPONENTS = { schemas: { Closed: { ...closed, $schema: undefined }, Open: { ...open, $schema: undefined } } };
delete COMPONENTS.schemas.Closed.$schema;
delete COMPONENTS.schemas.Open.$schema;

/** The spreading presets: [name, preset options, slot key]. */
const SPREADING: [string, Record<string, unknown>, string][] = [
  ['statusOk', {}, 'result'],
  ['webServiceReturn', {}, 'Data'],
  ['wispanel', { variant: 'license' }, 'data'],
];

/** The success body a format really renders for a payload. */
function rendered(name: string, options: Record<string, unknown>, data: unknown): unknown {
  return resolveFormat(name, options).render({ kind: 'success', status: 200, data }, CTX).body;
}

/** The schema under `200` for the success, validated with ajv against the document's components. */
function accepts(responses: OpenApiResponses, body: unknown): boolean {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  const schema = responses['200'].content?.['application/json'].schema as JsonSchema;
  return ajv.validate({ ...schema, components: COMPONENTS }, body) as boolean;
}

/** Every subschema of a schema. */
function* walk(schema: unknown): Generator<Record<string, unknown>> {
  if (schema === null || typeof schema !== 'object') return;
  if (Array.isArray(schema)) {
    for (const item of schema) yield* walk(item);
    return;
  }
  yield schema as Record<string, unknown>;
  for (const value of Object.values(schema)) yield* walk(value);
}

describe.each(SPREADING)('%s: payloads as the wire sends them', (name, options, slot) => {
  const describeWith = (data: JsonSchema, extra: Record<string, unknown> = {}) =>
    openApiResponses(name as 'statusOk', { ...options, data, errors: [], validation: false, ...extra } as never);

  it.each([
    ['an array', z.toJSONSchema(z.array(Client)), [{ id: 1, name: 'A' }]],
    ['a number', z.toJSONSchema(z.number()), 3],
    ['a string', { type: 'string' }, 'x'],
    ['null', { type: 'null' }, null],
  ] as const)('%s goes under its slot, and only there', (_what, data, payload) => {
    const responses = describeWith(data as JsonSchema);
    const body = rendered(name, options, payload) as Record<string, unknown>;
    expect(body[slot]).toEqual(payload);
    expect(accepts(responses, body)).toBe(true);
    // No allOf that no body can satisfy, and a body without the slot is refused.
    const schema = responses['200'].content?.['application/json'].schema;
    expect(JSON.stringify(schema)).not.toContain('allOf');
    const without = { ...body };
    delete without[slot];
    expect(accepts(responses, without)).toBe(false);
  });

  it('an object payload is spread; a closed one is merged with the envelope into one closed object', () => {
    const responses = describeWith(closed);
    const body = rendered(name, options, { id: 1, name: 'A' });
    expect(accepts(responses, body)).toBe(true);
    expect(accepts(responses, { ...(body as object), extra: 1 })).toBe(false);
    expect(accepts(responses, { ...(body as object), id: 'one' })).toBe(false);
  });

  it('a union of an object and null: each where the wire puts it', () => {
    const responses = describeWith(z.toJSONSchema(Client.nullable()) as JsonSchema);
    expect(accepts(responses, rendered(name, options, { id: 1, name: 'A' }))).toBe(true);
    expect(accepts(responses, rendered(name, options, null))).toBe(true);
    expect(accepts(responses, rendered(name, options, 5))).toBe(false);
  });

  it.each(['Closed', 'Open'])('a $ref to a %s zod 4 component works with components', (component) => {
    const responses = describeWith({ $ref: `#/components/schemas/${component}` }, { components: COMPONENTS });
    const body = rendered(name, options, { id: 1, name: 'A' });
    expect(accepts(responses, body)).toBe(true);
    expect(accepts(responses, { ...(body as object), id: 'one' })).toBe(false);
    // The open component keeps its $ref (generators name the type); the closed one is merged.
    expect(JSON.stringify(responses).includes(`#/components/schemas/${component}`)).toBe(component === 'Open');
    // The document's components or its components.schemas.
    expect(describeWith({ $ref: `#/components/schemas/${component}` }, { components: COMPONENTS.schemas })).toEqual(responses);
  });

  it('a $ref without components is refused at start-up, saying how to fix it', () => {
    expect(() => describeWith({ $ref: '#/components/schemas/Closed' })).toThrow(
      expect.objectContaining({
        code: 'ERR_ENVELOPE_INVALID_OPTION',
        message: expect.stringContaining("pass the document's components too"),
      }),
    );
    expect(() => describeWith({ $ref: '#/components/schemas/Missing' }, { components: COMPONENTS })).toThrow(
      expect.objectContaining({
        code: 'ERR_ENVELOPE_INVALID_OPTION',
        message: expect.stringContaining('components.schemas has no schema "Missing"'),
      }),
    );
    expect(() => describeWith({ $ref: 'https://example.com/client.json' }, { components: COMPONENTS })).toThrow(
      expect.objectContaining({
        code: 'ERR_ENVELOPE_INVALID_OPTION',
        message: expect.stringContaining('does not point into components.schemas'),
      }),
    );
  });

  it('a closed payload it cannot merge is refused; a payload key the envelope owns too', () => {
    const pattern = { type: 'object', patternProperties: { '^x': { type: 'string' } }, additionalProperties: false };
    expect(() => describeWith(pattern)).toThrow(expect.objectContaining({ code: 'ERR_ENVELOPE_INVALID_OPTION' }));
    const own = Object.keys(resolveFormat(name, options).render({ kind: 'success', status: 200, data: {} }, CTX).body as object)[0];
    expect(() => describeWith({ type: 'object', properties: { [own]: { type: 'string' } } })).toThrow(
      expect.objectContaining({ code: 'ERR_ENVELOPE_RESERVED_KEY' }),
    );
  });
});

describe('statuses, meta, branches, consts, dialect, headers', () => {
  it('a 204 is declared without content, beside what the format renders for res.success() (webServiceReturn: a 200)', () => {
    const wsr = openApiResponses('webServiceReturn', { status: 204, errors: [], validation: false });
    expect(Object.keys(wsr)).toEqual(['200', '204']);
    expect(wsr['204'].content).toBeUndefined();
    expect(wsr['200'].content).toBeDefined();
    for (const status of [204, 205, 304]) {
      const vbapi = openApiResponses('vbapi', { status, errors: [], validation: false });
      expect([status, Object.keys(vbapi), vbapi[String(status)].content]).toEqual([status, [String(status)], undefined]);
    }
  });

  it.each([
    ['backendResponse', {}],
    ['wispanel', {}],
    ['wispanel', { variant: 'portal' }],
    ['wispanel', { variant: 'lean' }],
  ])('%s %j: meta is a record of any keys', (name, options) => {
    const success = resolveFormat(name, options).schemas().success as { properties: { meta: JsonSchema } };
    expect(JSON.stringify(success.properties.meta)).toContain('{"type":"object","additionalProperties":true}');
  });

  it.each(['statusOk', 'webServiceReturn'])('%s: the 200 oneOf branches are titled success and error; every const is typed', (name) => {
    const responses = openApiResponses(name as 'statusOk');
    const schema = responses['200'].content?.['application/json'].schema as { $schema: string; oneOf: JsonSchema[] };
    expect(schema.$schema).toBe(DIALECT);
    expect(schema.oneOf.map((branch) => [branch.title, branch.$schema])).toEqual([
      ['success', undefined],
      ['error', undefined],
    ]);
    for (const sub of walk(responses)) if ('const' in sub) expect(sub).toEqual(expect.objectContaining({ type: expect.any(String) }));
  });

  it("every response schema carries the dialect; the payload's own $schema is dropped inside it", () => {
    const responses = openApiResponses('vbapi', { data: closed });
    for (const entry of Object.values(responses)) expect(entry.content?.['application/json'].schema.$schema).toBe(DIALECT);
    expect(JSON.stringify(responses).split(DIALECT)).toHaveLength(Object.keys(responses).length + 1);
  });

  it('X-Request-Id is described for the preset that answers', () => {
    const header = (name: string, options = {}) => openApiResponses(name as 'wispanel', options)['200'].headers['X-Request-Id'].description;
    expect(header('vbapi')).toBe("The request's id, to quote when reporting a problem; the body carries it too, as debug.activityId.");
    for (const name of ['backendResponse', 'wispanel', 'webServiceReturn', 'statusOk', 'jsend', 'problem']) {
      expect([name, header(name)]).toEqual([name, "The request's id, to quote when reporting a problem."]);
    }
  });
});

describe('hostile options and custom formats are refused at start-up with a code', () => {
  const circular: Record<string, unknown> = { type: 'object' };
  circular.self = circular;
  const throwing = Object.defineProperty({}, 'type', {
    enumerable: true,
    get: () => {
      throw new Error('boom');
    },
  });
  const errorsThrowing = new Proxy([404], {
    get: () => {
      throw new Error('boom');
    },
  });

  it.each([
    ['options null', null, 'ERR_ENVELOPE_INVALID_OPTION'],
    ['options a string', 'x', 'ERR_ENVELOPE_INVALID_OPTION'],
    ['data circular', { data: circular }, 'ERR_ENVELOPE_INVALID_OPTION'],
    ['data with a throwing getter', { data: throwing }, 'ERR_ENVELOPE_INVALID_OPTION'],
    ['data with a BigInt', { data: { const: 1n } }, 'ERR_ENVELOPE_INVALID_OPTION'],
    ['data.$ref not a string', { data: { $ref: 5 } }, 'ERR_ENVELOPE_INVALID_OPTION'],
    ['status as text', { status: '200' }, 'ERR_ENVELOPE_INVALID_OPTION'],
    ['status NaN', { status: NaN }, 'ERR_ENVELOPE_INVALID_OPTION'],
    ['errors with text', { errors: ['404'] }, 'ERR_ENVELOPE_INVALID_OPTION'],
    // eslint-disable-next-line no-sparse-arrays
    ['errors sparse', { errors: [404, , 500] }, 'ERR_ENVELOPE_INVALID_OPTION'],
    ['errors a throwing proxy', { errors: errorsThrowing }, 'ERR_ENVELOPE_INVALID_OPTION'],
    ['components not an object', { components: 'x' }, 'ERR_ENVELOPE_INVALID_OPTION'],
    ['components circular', { components: circular }, 'ERR_ENVELOPE_INVALID_OPTION'],
    ['variant unknown', { variant: {} }, 'ERR_ENVELOPE_INVALID_OPTION'],
    ['messages not an object', { messages: 5 }, 'ERR_ENVELOPE_INVALID_OPTION'],
  ])('%s', (_what, options, code) => {
    expect(() => openApiResponses('wispanel', options as never)).toThrow(EnvelopeError);
    expect(() => openApiResponses('wispanel', options as never)).toThrow(expect.objectContaining({ code }));
  });

  const base = { name: 'mine', render: () => ({ status: 200, body: {} }), schemas: () => ({ success: {}, error: {} }) };
  it.each([
    [
      'schemas() that throws',
      {
        schemas: () => {
          throw new TypeError('nope');
        },
      },
    ],
    ['schemas() that returns null', { schemas: () => null }],
    ['schemas() without error', { schemas: () => ({ success: {} }) }],
    ['schemas() with a number', { schemas: () => ({ success: 5, error: {} }) }],
    ['render() with headers as text', { render: () => ({ status: 200, body: {}, headers: 'x' }) }],
    ['render() with a Content-Type that is not text', { render: () => ({ status: 200, body: {}, headers: { 'Content-Type': 5 } }) }],
    ['render() with a status as text', { render: () => ({ status: '200', body: {} }) }],
    ['render() that returns nothing', { render: () => undefined }],
  ])('a custom format whose %s: ERR_ENVELOPE_INVALID_FORMAT', (_what, override) => {
    const format = defineFormat({ ...base, ...override } as never);
    expect(() => openApiResponses(format)).toThrow(expect.objectContaining({ name: 'EnvelopeError', code: 'ERR_ENVELOPE_INVALID_FORMAT' }));
  });
});
