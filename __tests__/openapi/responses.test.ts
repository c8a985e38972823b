// openApiResponses(): the Responses Object for each preset, keyed by the statuses its format sends,
// its options, and custom formats (described by rendering one probe outcome per case).

import { EnvelopeError, type JsonSchema, defineFormat, openApiResponses } from '../../index';
import { resolveFormat } from '../../lib/registry';

const DIALECT = 'https://json-schema.org/draft/2020-12/schema';

/** A format's schemas as the document has them: the dialect on top. */
function schemas(name: string, options?: Record<string, unknown>, data?: JsonSchema): { success: JsonSchema; error: JsonSchema } {
  const { success, error } = resolveFormat(name, options).schemas(data);
  return { success: { $schema: DIALECT, ...success }, error: { $schema: DIALECT, ...error } };
}

/** A `oneOf` of the success and error bodies, titled, the dialect on top only. */
function oneOf(success: JsonSchema, error: JsonSchema): JsonSchema {
  const strip = ({ $schema: _dialect, ...rest }: JsonSchema): JsonSchema => rest;
  return {
    $schema: DIALECT,
    oneOf: [
      { title: 'success', ...strip(success) },
      { title: 'error', ...strip(error) },
    ],
  };
}

const REQUEST_ID = {
  description: "The request's id, to quote when reporting a problem.",
  required: true,
  schema: { type: 'string' },
};
const VBAPI_REQUEST_ID = {
  ...REQUEST_ID,
  description: "The request's id, to quote when reporting a problem; the body carries it too, as debug.activityId.",
};
const INTEGER = { type: 'integer', minimum: 0 };
/** rateLimit()'s headers outside WisPanel: X-RateLimit-Window is WisPanel's alone. */
const RATE_LIMIT = {
  'X-RateLimit-Limit': { description: 'Requests allowed in the window.', schema: INTEGER },
  'X-RateLimit-Remaining': { description: 'Requests left in the current window.', schema: INTEGER },
  'X-RateLimit-Reset': { description: 'When the window resets, in seconds since the Unix epoch.', schema: INTEGER },
};
const RETRY_AFTER = { description: 'Seconds to wait before trying again.', schema: INTEGER };
const json = (schema: JsonSchema) => ({ 'application/json': { schema } });

describe('openApiResponses()', () => {
  it.each([undefined, 'portal', 'license', 'lean', 'bare'])(
    'wispanel %s: the window header, which its contract names, on every rate-limited entry',
    (variant) => {
      const responses = openApiResponses('wispanel', { rateLimited: true, ...(variant ? { variant } : {}) } as never);
      for (const entry of Object.values(responses)) {
        expect(entry.headers?.['X-RateLimit-Window']).toEqual({ description: 'The length of the window, in seconds.', schema: INTEGER });
      }
      expect(openApiResponses('jsend', { rateLimited: true })['429'].headers).not.toHaveProperty('X-RateLimit-Window');
    },
  );

  it('vbapi: one status per case, X-Pagination on the success', () => {
    const { success, error } = schemas('vbapi');
    expect(openApiResponses('vbapi')).toEqual({
      '200': {
        description: 'OK',
        headers: {
          'X-Request-Id': VBAPI_REQUEST_ID,
          'X-Pagination': {
            description: 'The pagination meta, as JSON text; sent when the response has meta.',
            schema: { type: 'string' },
          },
        },
        content: json(success),
      },
      '400': {
        description: 'Bad Request; also sent for: validation failed, malformed request body',
        headers: { 'X-Request-Id': VBAPI_REQUEST_ID },
        content: json(error),
      },
      '404': { description: 'Not Found', headers: { 'X-Request-Id': VBAPI_REQUEST_ID }, content: json(error) },
      '500': { description: 'Internal Server Error', headers: { 'X-Request-Id': VBAPI_REQUEST_ID }, content: json(error) },
    });
  });

  it('webServiceReturn: every non-5xx on 200, as a oneOf of success and failure', () => {
    const { success, error } = schemas('webServiceReturn');
    expect(openApiResponses('webServiceReturn', { rateLimited: true, status: 201 })).toEqual({
      '200': {
        description: 'OK: Created, Bad Request, Not Found, validation failed, malformed request body, Too Many Requests',
        headers: { 'X-Request-Id': REQUEST_ID, ...RATE_LIMIT, 'Retry-After': RETRY_AFTER },
        content: json(oneOf(success, error)),
      },
      '500': { description: 'Internal Server Error', headers: { 'X-Request-Id': REQUEST_ID, ...RATE_LIMIT }, content: json(error) },
    });
  });

  it.each(['statusOk', 'universa'])('%s: soft errors on 200 (oneOf), hard ones at their status', (name) => {
    const { success, error } = schemas(name);
    expect(openApiResponses(name as 'statusOk', { rateLimited: true })).toEqual({
      '200': {
        description: 'OK; also sent for: Bad Request, Not Found, validation failed',
        headers: { 'X-Request-Id': REQUEST_ID, ...RATE_LIMIT },
        content: json(oneOf(success, error)),
      },
      '400': {
        description: 'Bad Request; also sent for: malformed request body',
        headers: { 'X-Request-Id': REQUEST_ID, ...RATE_LIMIT },
        content: json(error),
      },
      '404': { description: 'Not Found', headers: { 'X-Request-Id': REQUEST_ID, ...RATE_LIMIT }, content: json(error) },
      '429': {
        description: 'Too Many Requests',
        headers: { 'X-Request-Id': REQUEST_ID, ...RATE_LIMIT, 'Retry-After': RETRY_AFTER },
        content: json(error),
      },
      '500': { description: 'Internal Server Error', headers: { 'X-Request-Id': REQUEST_ID, ...RATE_LIMIT }, content: json(error) },
    });
  });

  it('problem: errors are application/problem+json, the success is the payload', () => {
    const data = { type: 'object', properties: { id: { type: 'integer' } }, required: ['id'] };
    const { error } = schemas('problem');
    const payload = { $schema: DIALECT, ...data };
    const responses = openApiResponses('problem', {
      data: { $schema: 'https://json-schema.org/draft/2020-12/schema', ...data },
      errors: [409],
    });
    expect(responses).toEqual({
      '200': { description: 'OK', headers: { 'X-Request-Id': REQUEST_ID }, content: json(payload) },
      '400': {
        description: 'Bad Request: validation failed, malformed request body',
        headers: { 'X-Request-Id': REQUEST_ID },
        content: { 'application/problem+json': { schema: error } },
      },
      '409': {
        description: 'Conflict',
        headers: { 'X-Request-Id': REQUEST_ID },
        content: { 'application/problem+json': { schema: error } },
      },
    });
  });

  it.each([
    ['backendResponse', undefined, ['200', '400', '404', '422', '500']],
    ['wisphub', undefined, ['200', '400', '404', '422', '500']],
    ['jsend', undefined, ['200', '400', '404', '500']],
    ['wispanel', undefined, ['200', '400', '404', '500']],
    ['wispanel', 'portal', ['200', '400', '404', '422', '500']],
    ['wispanel', 'license', ['200', '400', '404', '422', '500']],
    ['wispanel', 'lean', ['200', '400', '404', '500']],
    ['wispanel', 'bare', ['200', '400', '404', '500']],
  ] as const)('%s %s: statuses %j, validation at the format own status', (name, variant, statuses) => {
    const options = variant ? { variant } : undefined;
    const responses = openApiResponses(name as 'wispanel', options);
    expect(Object.keys(responses)).toEqual(statuses);
    const { success, error } = schemas(name, options);
    expect(responses['200'].content).toEqual(json(success));
    for (const status of statuses.slice(1)) expect([status, responses[status].content]).toEqual([status, json(error)]);
    if ((statuses as readonly string[]).includes('422'))
      expect(responses['422'].description).toBe('Unprocessable Entity: validation failed, malformed request body');
  });

  it('data narrows the success payload; its own $schema is dropped', () => {
    const data = { $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'array', items: { type: 'string' } };
    const responses = openApiResponses('jsend', { data, errors: [], validation: false });
    expect(responses).toEqual({
      '200': {
        description: 'OK',
        headers: { 'X-Request-Id': REQUEST_ID },
        content: json(schemas('jsend', undefined, { type: 'array', items: { type: 'string' } }).success),
      },
    });
  });

  it('a 204 success carries no content', () => {
    expect(openApiResponses('vbapi', { status: 204, errors: [], validation: false })).toEqual({
      '204': { description: 'No Content', headers: expect.objectContaining({ 'X-Request-Id': VBAPI_REQUEST_ID }) },
    });
  });

  it('the result is a fresh object: changing it does not change the next one', () => {
    const first = openApiResponses('vbapi');
    first['200'].headers['X-Request-Id'].description = 'changed';
    expect(openApiResponses('vbapi')['200'].headers['X-Request-Id']).toEqual(VBAPI_REQUEST_ID);
  });

  it('takes the preset options of envelope(): variant and messages', () => {
    expect(Object.keys(openApiResponses('wispanel', { variant: 'portal', messages: { validation: 'Datos inválidos' } }))).toEqual([
      '200',
      '400',
      '404',
      '422',
      '500',
    ]);
  });

  it.each([
    [
      { typo: true },
      'ERR_ENVELOPE_UNKNOWN_OPTION',
      'openApiResponses(): unknown option "typo"; known options are data, status, errors, validation, rateLimited, components, catalog, messages',
    ],
    [
      { variant: 'portal' },
      'ERR_ENVELOPE_UNKNOWN_OPTION',
      'openApiResponses(): unknown option "variant"; known options are data, status, errors, validation, rateLimited, components, catalog, messages',
    ],
    [
      { data: [] },
      'ERR_ENVELOPE_INVALID_OPTION',
      'openApiResponses(): data must be a JSON Schema object (plain JSON: no cycles, getters that throw or BigInts)',
    ],
    [{ status: 404 }, 'ERR_ENVELOPE_INVALID_OPTION', 'openApiResponses(): status must be a success status (200..399)'],
    [{ status: 200.5 }, 'ERR_ENVELOPE_INVALID_OPTION', 'openApiResponses(): status must be a success status (200..399)'],
    [{ errors: [200] }, 'ERR_ENVELOPE_INVALID_OPTION', 'openApiResponses(): errors must be an array of error statuses (400..599)'],
    [{ errors: 404 }, 'ERR_ENVELOPE_INVALID_OPTION', 'openApiResponses(): errors must be an array of error statuses (400..599)'],
    [{ validation: 'yes' }, 'ERR_ENVELOPE_INVALID_OPTION', 'openApiResponses(): validation must be a boolean'],
    [{ rateLimited: 1 }, 'ERR_ENVELOPE_INVALID_OPTION', 'openApiResponses(): rateLimited must be a boolean'],
  ])('refuses %j', (options, code, message) => {
    expect(() => openApiResponses('jsend', options as never)).toThrow(expect.objectContaining({ code, message }));
  });

  it('refuses an unknown preset name and a non-format', () => {
    expect(() => openApiResponses('vbApi' as never)).toThrow(expect.objectContaining({ code: 'ERR_ENVELOPE_UNKNOWN_FORMAT' }));
    expect(() => openApiResponses({} as never)).toThrow(expect.objectContaining({ code: 'ERR_ENVELOPE_INVALID_FORMAT' }));
  });

  describe('a custom format', () => {
    // Soft errors on 200, hard ones and 5xx at their status, a type of its own for errors, a header of its own.
    const mine = defineFormat({
      name: 'mine',
      render: (o) =>
        o.kind === 'error'
          ? {
              status: o.hard ? o.status : 200,
              body: { failed: o.message },
              headers: { 'content-type': 'application/vnd.mine+json', 'X-Mine': '1' },
            }
          : { status: o.status, body: { result: o.data } },
      schemas: (data = {}) => ({
        success: {
          $schema: 'https://json-schema.org/draft/2020-12/schema',
          type: 'object',
          properties: { result: data },
          required: ['result'],
        },
        error: { type: 'object', properties: { failed: { type: 'string' } }, required: ['failed'] },
      }),
    });

    it('is described by rendering one outcome per case: the status and type each case gets', () => {
      const success = { $schema: DIALECT, type: 'object', properties: { result: {} }, required: ['result'] };
      const error = { $schema: DIALECT, type: 'object', properties: { failed: { type: 'string' } }, required: ['failed'] };
      const own = { description: 'Set by the mine format.', schema: { type: 'string' } };
      expect(openApiResponses(mine, { errors: [404, 503] })).toEqual({
        '200': {
          description: 'OK; also sent for: Not Found, validation failed',
          headers: { 'X-Request-Id': REQUEST_ID, 'X-Mine': own },
          content: { 'application/json': { schema: success }, 'application/vnd.mine+json': { schema: error } },
        },
        '400': {
          description: 'Bad Request: malformed request body',
          headers: { 'X-Request-Id': REQUEST_ID, 'X-Mine': own },
          content: { 'application/vnd.mine+json': { schema: error } },
        },
        '404': {
          description: 'Not Found',
          headers: { 'X-Request-Id': REQUEST_ID, 'X-Mine': own },
          content: { 'application/vnd.mine+json': { schema: error } },
        },
        '503': {
          description: 'Service Unavailable',
          headers: { 'X-Request-Id': REQUEST_ID, 'X-Mine': own },
          content: { 'application/vnd.mine+json': { schema: error } },
        },
      });
    });

    it('takes no preset options', () => {
      expect(() => openApiResponses(mine, { variant: 'portal' } as never)).toThrow(
        'openApiResponses(): unknown option "variant"; known options are data, status, errors, validation, rateLimited, components, catalog',
      );
    });

    it('that throws while rendering, or renders no status, is refused with ERR_ENVELOPE_INVALID_FORMAT', () => {
      const broken = defineFormat({
        name: 'broken',
        render: () => {
          throw new Error('nope');
        },
        schemas: () => ({ success: {}, error: {} }),
      });
      const statusless = defineFormat({
        name: 'statusless',
        render: () => ({ status: 99, body: null }),
        schemas: () => ({ success: {}, error: {} }),
      });
      const thrown = (() => {
        try {
          openApiResponses(broken);
        } catch (err) {
          return err as EnvelopeError;
        }
      })();
      expect(thrown).toBeInstanceOf(EnvelopeError);
      expect({ code: thrown?.code, message: thrown?.message, cause: (thrown?.cause as Error).message }).toEqual({
        code: 'ERR_ENVELOPE_INVALID_FORMAT',
        message: 'openApiResponses(): format "broken" threw while rendering the case "OK"',
        cause: 'nope',
      });
      expect(() => openApiResponses(statusless)).toThrow(
        expect.objectContaining({
          code: 'ERR_ENVELOPE_INVALID_FORMAT',
          message: 'openApiResponses(): format "statusless" rendered the case "OK" with status 99',
        }),
      );
    });
  });
});
