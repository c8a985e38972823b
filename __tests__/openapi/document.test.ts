// Every preset's (and WisPanel variant's) responses, put into a full OpenAPI 3.1 document, pass an
// independent validator (@seriousme/openapi-schema-validator).

import { defineFormat, openApiResponses } from '../../index';
import { DESCRIBED } from '../helpers/openapi';
import { documentOf, validateDocuments } from '../helpers/openapi-document';

const CLIENT = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  properties: { id: { type: 'integer' }, name: { type: 'string' } },
  required: ['id', 'name'],
};

const custom = defineFormat({
  name: 'custom',
  render: (o) => ({
    status: o.kind === 'error' && !o.hard ? 200 : o.status,
    body: o.kind === 'error' ? { failed: o.message } : { result: o.data },
  }),
  schemas: (data = {}) => ({
    success: { type: 'object', properties: { result: data } },
    error: { type: 'object', properties: { failed: { type: 'string' } } },
  }),
});

describe('OpenAPI 3.1 documents built with openApiResponses()', () => {
  const documents: Record<string, unknown> = {};
  for (const { name, preset, variant } of DESCRIBED) {
    const options = variant ? { variant } : {};
    documents[name] = documentOf(name, {
      '/default': openApiResponses(preset as 'wispanel', options),
      '/created': openApiResponses(preset as 'wispanel', { ...options, data: CLIENT, status: 201, rateLimited: true }),
      '/many': openApiResponses(preset as 'wispanel', { ...options, errors: [401, 403, 404, 409, 503], validation: false }),
      '/empty': openApiResponses(preset as 'wispanel', { ...options, status: 204, errors: [] }),
    });
  }
  documents.custom = documentOf('custom', { '/default': openApiResponses(custom, { data: CLIENT, rateLimited: true }) });
  // The control: a response without its description is not a valid document, so the check can fail.
  const broken = structuredClone(documents.vbapi) as {
    paths: Record<string, { get: { responses: Record<string, Record<string, unknown>> } }>;
  };
  delete broken.paths['/default'].get.responses['200'].description;
  documents.control = broken;

  const results = validateDocuments(documents);

  it.each([...DESCRIBED.map((d) => d.name), 'custom'])('%s: valid OpenAPI 3.1', (name) => {
    expect(results[name]).toEqual({ valid: true, version: '3.1' });
  });

  it('the validator refuses a broken document', () => {
    expect(results.control.valid).toBe(false);
  });
});
