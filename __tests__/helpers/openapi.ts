// Checks a real response against an OpenAPI Responses Object: the entry under its own wire status,
// the schema under its own media type, the headers the entry declares as required.

import Ajv2020 from 'ajv/dist/2020';
import type { Response } from 'supertest';
import type { JsonSchema, OpenApiResponse, OpenApiResponses, PresetName, WispanelVariant } from '../../index';

const ajv = new Ajv2020({ strict: true, allErrors: true });
const compiled = new WeakMap<JsonSchema, ReturnType<typeof ajv.compile>>();

/** Validates `body` against `schema` (ajv, JSON Schema 2020-12); throws with ajv's errors. */
export function assertValid(schema: JsonSchema, body: unknown, what: string): void {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  if (!validate(body)) throw new Error(`${what} does not match: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body)}`);
}

/** The media type of a Content-Type header, without parameters. */
export function mediaTypeOf(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0].trim().toLowerCase();
}

/**
 * The response must have an entry under its own status, a schema under its own media type, and
 * every required header; its body must validate. Returns the entry.
 */
export function assertDescribed(responses: OpenApiResponses, res: Response, what: string): OpenApiResponse {
  const entry = responses[String(res.status)];
  if (!entry) throw new Error(`${what}: status ${res.status} is not described (described: ${Object.keys(responses).join(', ')})`);
  const mediaType = mediaTypeOf(res.headers['content-type']);
  const content = entry.content?.[mediaType];
  if (!content) throw new Error(`${what}: ${mediaType} is not described under ${res.status}`);
  for (const [name, header] of Object.entries(entry.headers)) {
    if (header.required && res.headers[name.toLowerCase()] === undefined) throw new Error(`${what}: required header ${name} missing`);
  }
  assertValid(content.schema, JSON.parse(res.text), `${what} (${res.status} ${mediaType})`);
  return entry;
}

/** Every preset and alias, and every WisPanel variant: what openApiResponses() is proven on. */
export const DESCRIBED: { name: string; preset: PresetName; variant?: WispanelVariant }[] = [
  { name: 'vbapi', preset: 'vbapi' },
  { name: 'backendResponse', preset: 'backendResponse' },
  { name: 'wisphub', preset: 'wisphub' },
  { name: 'wispanel', preset: 'wispanel' },
  { name: 'wispanel portal', preset: 'wispanel', variant: 'portal' },
  { name: 'wispanel license', preset: 'wispanel', variant: 'license' },
  { name: 'wispanel lean', preset: 'wispanel', variant: 'lean' },
  { name: 'wispanel bare', preset: 'wispanel', variant: 'bare' },
  { name: 'webServiceReturn', preset: 'webServiceReturn' },
  { name: 'statusOk', preset: 'statusOk' },
  { name: 'universa', preset: 'universa' },
  { name: 'jsend', preset: 'jsend' },
  { name: 'problem', preset: 'problem' },
];
