// Validates OpenAPI documents with @seriousme/openapi-schema-validator, an independent validator. It
// is ESM-only, so it runs in a child Node process (jest here runs CommonJS), all documents at once.

import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { OpenApiResponses } from '../../index';

const SCRIPT = `
import { Validator } from '@seriousme/openapi-schema-validator';
let input = '';
for await (const chunk of process.stdin) input += chunk;
const results = {};
for (const [name, doc] of Object.entries(JSON.parse(input))) {
  const validator = new Validator();
  const { valid, errors } = await validator.validate(doc);
  results[name] = { valid, version: validator.version, errors: valid ? undefined : errors };
}
process.stdout.write(JSON.stringify(results));
`;

export interface DocumentResult {
  valid: boolean;
  version: string;
  errors?: unknown;
}

/** name → document; returns name → the validator's verdict. */
export function validateDocuments(documents: Record<string, unknown>): Record<string, DocumentResult> {
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', SCRIPT], {
    cwd: join(__dirname, '..', '..'),
    input: JSON.stringify(documents),
    encoding: 'utf8',
    timeout: 60_000,
  });
  return JSON.parse(out) as Record<string, DocumentResult>;
}

/** A full OpenAPI 3.1 document around one or more operations' responses. */
export function documentOf(title: string, operations: Record<string, OpenApiResponses>): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  for (const [path, responses] of Object.entries(operations)) {
    paths[path] = { get: { operationId: `get${Object.keys(paths).length}`, summary: path, responses } };
  }
  return { openapi: '3.1.0', info: { title, version: '1.0.0' }, paths };
}
