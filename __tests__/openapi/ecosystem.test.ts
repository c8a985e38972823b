// The description held to tools nobody here wrote. One document is built with openApiResponses() for
// every preset and WisPanel variant (object, array and scalar payloads; inline and $ref payloads, with
// open and closed zod 4 components; meta; 201; 204), and a demo-style server answers it. Then:
// - openapi-typescript generates its types, and a typed openapi-fetch client, compiled once with
//   `tsc --strict`, reads each payload without a cast; what it read is compared with decodeText()
//   of the same bytes;
// - every real body of every scenario is validated against the document by ajv (2020-12) and by
//   openapi-response-validator;
// - Spectral's spectral:oas ruleset finds no error and no warning in it.

import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Document, Spectral } from '@stoplight/spectral-core';
import { Json } from '@stoplight/spectral-parsers';
import { oas } from '@stoplight/spectral-rulesets';
import Ajv2020 from 'ajv/dist/2020';
import express from 'express';
import createError from 'http-errors';
import OpenAPIResponseValidator from 'openapi-response-validator';
import { z } from 'zod';
import { decodeText } from '../../client';
import {
  type JsonSchema,
  type OpenApiResponses,
  envelope,
  errorHandler,
  notFound,
  openApiResponses,
  rateLimit,
  requestId,
} from '../../index';

const run = promisify(execFile);

const GENERATE = `
import { readFileSync, writeFileSync } from 'node:fs';
import openapiTS, { astToString } from 'openapi-typescript';
const [input, output] = process.argv.slice(1);
writeFileSync(output, astToString(await openapiTS(JSON.parse(readFileSync(input, 'utf8')))));
`;
const ROOT = join(__dirname, '..', '..');

/** The formats, each under its own prefix: [prefix, preset, variant]. */
const FORMATS: [string, 'vbapi' | 'backendResponse' | 'wispanel' | 'webServiceReturn' | 'statusOk' | 'jsend' | 'problem', string?][] = [
  ['vbapi', 'vbapi'],
  ['backend', 'backendResponse'],
  ['panel', 'wispanel'],
  ['portal', 'wispanel', 'portal'],
  ['license', 'wispanel', 'license'],
  ['lean', 'wispanel', 'lean'],
  ['bare', 'wispanel', 'bare'],
  ['wsr', 'webServiceReturn'],
  ['statusok', 'statusOk'],
  ['jsend', 'jsend'],
  ['problem', 'problem'],
];

const Client = z.object({ id: z.number().int(), name: z.string() });
const OpenClient = z.looseObject({ id: z.number().int(), name: z.string() });
const CLIENT = { id: 1, name: 'Example' };
const COMPONENTS = {
  schemas: {
    ClientClosed: z.toJSONSchema(Client) as JsonSchema,
    ClientOpen: z.toJSONSchema(OpenClient) as JsonSchema,
  },
};
for (const schema of Object.values(COMPONENTS.schemas)) delete schema.$schema;

/** The success routes: path below the prefix, payload schema, what the handler sends. */
interface Route {
  name: string;
  method: 'get' | 'post' | 'delete';
  path: string;
  data?: JsonSchema;
  status?: number;
  payload: 'object' | 'array' | 'scalar' | 'none';
  meta?: boolean;
}

const ROUTES: Route[] = [
  { name: 'object', method: 'get', path: '/clients/1', data: z.toJSONSchema(Client) as JsonSchema, payload: 'object' },
  { name: 'list', method: 'get', path: '/clients', data: z.toJSONSchema(z.array(Client)) as JsonSchema, payload: 'array' },
  { name: 'count', method: 'get', path: '/count', data: z.toJSONSchema(z.number().int()) as JsonSchema, payload: 'scalar' },
  { name: 'closed', method: 'get', path: '/closed', data: { $ref: '#/components/schemas/ClientClosed' }, payload: 'object' },
  { name: 'open', method: 'get', path: '/open', data: { $ref: '#/components/schemas/ClientOpen' }, payload: 'object' },
  { name: 'page', method: 'get', path: '/page', data: z.toJSONSchema(z.array(Client)) as JsonSchema, payload: 'array', meta: true },
  { name: 'created', method: 'post', path: '/clients', data: z.toJSONSchema(Client) as JsonSchema, status: 201, payload: 'object' },
  { name: 'empty', method: 'delete', path: '/clients/1', status: 204, payload: 'none' },
];

/** The error scenarios, each an operation of its own in the document. */
const ERRORS: { name: string; method: 'get' | 'post'; path: string }[] = [
  { name: 'missing', method: 'get', path: '/missing' },
  { name: 'bad', method: 'get', path: '/bad-request' },
  { name: 'validation', method: 'get', path: '/validation' },
  { name: 'malformed', method: 'post', path: '/malformed' },
  { name: 'crash', method: 'get', path: '/crash' },
  { name: 'limited', method: 'get', path: '/limited' },
];

const OPTIONS = { errors: [400, 404, 500], rateLimited: true, components: COMPONENTS };

function buildDocument(): {
  openapi: string;
  info: object;
  jsonSchemaDialect: string;
  paths: Record<string, Record<string, { operationId: string; summary: string; responses: OpenApiResponses; requestBody?: object }>>;
  components: typeof COMPONENTS;
} {
  const paths: Record<
    string,
    Record<string, { operationId: string; summary: string; responses: OpenApiResponses; requestBody?: object }>
  > = {};
  for (const [prefix, preset, variant] of FORMATS) {
    const presetOptions = variant ? { variant } : {};
    const add = (method: string, path: string, name: string, responses: OpenApiResponses, body = false) => {
      const operation: { operationId: string; summary: string; responses: OpenApiResponses; requestBody?: object } = {
        operationId: `${prefix}_${name}`,
        summary: `${prefix} ${name}`,
        responses,
      };
      if (body)
        operation.requestBody = {
          required: true,
          content: { 'application/json': { schema: { type: 'object', additionalProperties: true } } },
        };
      (paths[`/${prefix}${path}`] ??= {})[method] = operation;
    };
    for (const route of ROUTES) {
      const responses = openApiResponses(
        preset as 'wispanel',
        { ...presetOptions, ...OPTIONS, data: route.data, status: route.status ?? 200 } as never,
      );
      add(route.method, route.path, route.name, responses, route.method === 'post');
    }
    for (const scenario of ERRORS) {
      add(
        scenario.method,
        scenario.path,
        scenario.name,
        openApiResponses(preset as 'wispanel', { ...presetOptions, ...OPTIONS } as never),
        scenario.method === 'post',
      );
    }
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Every envelope', version: '1.0.0', description: 'Every preset and variant of express-envelope.' },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    paths,
    components: COMPONENTS,
  };
}

function demoApp() {
  const app = express();
  app.use(requestId());
  for (const [prefix, preset, variant] of FORMATS) {
    const router = express.Router();
    router.get('/clients/1', (_req, res) => res.json(CLIENT));
    router.get('/clients', (_req, res) => res.json([CLIENT]));
    router.get('/count', (_req, res) => res.json(3));
    router.get('/closed', (_req, res) => res.json(CLIENT));
    router.get('/open', (_req, res) => res.json({ ...CLIENT, extra: true }));
    router.get('/page', (_req, res) => res.success([CLIENT], { meta: { page: 1, total: 1 } }));
    router.post('/clients', (_req, res) => res.status(201).json({ id: 2, name: 'New' }));
    router.delete('/clients/1', (_req, res) => res.status(204).json(null));
    router.get('/missing', () => {
      throw createError(404, 'Client not found');
    });
    router.get('/bad-request', () => {
      throw createError(400, 'The "from" date must be before "to"');
    });
    router.get('/validation', () => {
      throw createError(400, 'x', { details: [{ path: 'name', message: 'Required' }] });
    });
    router.post('/malformed', (_req, res) => res.json({}));
    router.get('/crash', () => {
      throw new Error('database password is hunter2');
    });
    router.get(
      '/limited',
      rateLimit({ limit: 0, windowMs: 60_000, logger: { error: () => undefined, warn: () => undefined } }),
      (_req, res) => res.json({}),
    );
    app.use(`/${prefix}`, envelope(preset as 'wispanel', variant ? { variant: variant as 'portal' } : {}), express.json(), router);
  }
  app.use(notFound());
  app.use(errorHandler({ log: false }));
  return app;
}

/** TypeScript that reads a route's payload from openapi-fetch's typed `data`, without a cast. */
function reader(prefix: string, preset: string, variant: string | undefined, route: Route): string {
  const slot = ({ statusOk: 'result', webServiceReturn: 'Data' } as Record<string, string>)[preset] ?? 'data';
  const spreads = preset === 'statusOk' || preset === 'webServiceReturn' || variant === 'license';
  const asBody = preset === 'problem' || variant === 'bare';
  // Each read is pinned to its type: a payload typed `unknown` or `never` would not compile.
  const check =
    route.payload === 'object'
      ? 'const name: string = payload.name; void name;'
      : route.payload === 'array'
        ? 'const names: string[] = payload.map((c) => c.name); void names;'
        : 'const n: number = payload; void n;';
  let narrow = '';
  let payload: string;
  if (asBody) payload = 'b';
  else if (!spreads) payload = 'b.data';
  else if (route.payload === 'object') {
    const own = ({ statusOk: 'status', webServiceReturn: 'WebServiceReturn' } as Record<string, string>)[preset] ?? 'valid';
    // The success branch holds the payload's keys; the error branch does not.
    if (preset === 'webServiceReturn') narrow = "if (!('id' in b)) throw new Error('not a success');";
    if (preset === 'statusOk') narrow = "if (b.status !== 'OK') throw new Error('not a success');";
    payload = `(({ ${own}: _own, ...rest }) => rest)(b)`;
  } else {
    if (preset === 'webServiceReturn') narrow = `if (!('${slot}' in b)) throw new Error('not a success');`;
    if (preset === 'statusOk') narrow = "if (b.status !== 'OK') throw new Error('not a success');";
    payload = `b.${slot}`;
  }
  const meta =
    route.meta && ['backendResponse', 'wispanel'].includes(preset) && !spreads && !asBody
      ? 'const meta: NonNullable<typeof b.meta> = { page: 2, note: "any key" }; void meta;'
      : '';
  const call =
    route.method === 'post' ? `client.POST('/${prefix}${route.path}', { body: { name: 'New' } })` : `client.GET('/${prefix}${route.path}')`;
  return `
  {
    const { data: b, response } = await ${call};
    if (b === undefined) throw new Error('${prefix} ${route.name}: no data, status ' + response.status);
    ${narrow}
    const payload = ${payload};
    ${check}
    ${meta}
    read.push({ prefix: '${prefix}', route: '${route.name}', payload });
  }`;
}

function clientProgram(): string {
  const blocks: string[] = [];
  for (const [prefix, preset, variant] of FORMATS) {
    for (const route of ROUTES) if (route.payload !== 'none') blocks.push(reader(prefix, preset, variant, route));
    blocks.push(`
  {
    const { data, error, response } = await client.DELETE('/${prefix}/clients/1');
    read.push({ prefix: '${prefix}', route: 'empty', payload: { status: response.status, data: data ?? null, error: error ?? null } });
  }`);
  }
  return `import createClient from 'openapi-fetch';
import type { paths } from './schema.js';

const client = createClient<paths>({ baseUrl: process.env.BASE_URL });
const read: { prefix: string; route: string; payload: unknown }[] = [];
${blocks.join('\n')}
process.stdout.write(JSON.stringify(read));
`;
}

describe('the document in the tools teams use', () => {
  const document = buildDocument();
  let server: Server;
  let base = '';
  let dir = '';

  beforeAll(async () => {
    server = demoApp().listen(0, '127.0.0.1');
    await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    dir = mkdtempSync(join(tmpdir(), 'envelope-openapi-'));
  });

  afterAll(async () => {
    server?.closeAllConnections?.();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('openapi-typescript types it, and a typed openapi-fetch client reads every payload as decodeText() does', async () => {
    // openapi-typescript's dependencies are ES modules: it runs in a child Node, as a user runs it.
    writeFileSync(join(dir, 'openapi.json'), JSON.stringify(document));
    await run(process.execPath, ['--input-type=module', '-e', GENERATE, join(dir, 'openapi.json'), join(dir, 'schema.ts')], {
      cwd: ROOT,
      timeout: 120_000,
    });
    writeFileSync(join(dir, 'client.ts'), clientProgram());
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }');
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const args = [
      '--strict',
      '--module',
      'nodenext',
      '--moduleResolution',
      'nodenext',
      '--target',
      'es2022',
      '--types',
      'node',
      '--outDir',
      join(dir, 'out'),
      join(dir, 'client.ts'),
    ];
    try {
      await run(process.execPath, [tsc, ...args], { cwd: dir, timeout: 240_000 });
    } catch (err) {
      throw new Error(`tsc --strict refused the typed client:\n${(err as { stdout?: string }).stdout ?? String(err)}`);
    }
    const { stdout } = await run(process.execPath, [join(dir, 'out', 'client.js')], {
      cwd: dir,
      timeout: 120_000,
      env: { ...process.env, BASE_URL: base },
    });
    const read = JSON.parse(stdout) as { prefix: string; route: string; payload: unknown }[];
    expect(read).toHaveLength(FORMATS.length * ROUTES.length);

    for (const { prefix, route, payload } of read) {
      const [, preset, variant] = FORMATS.find(([p]) => p === prefix) as (typeof FORMATS)[number];
      const spec = ROUTES.find((r) => r.name === route) as Route;
      const res = await fetch(`${base}/${prefix}${spec.path}`, {
        method: spec.method.toUpperCase(),
        headers: spec.method === 'post' ? { 'Content-Type': 'application/json' } : {},
        body: spec.method === 'post' ? '{"name":"New"}' : undefined,
      });
      const text = await res.text();
      if (route === 'empty') {
        expect([prefix, payload]).toEqual([prefix, { status: 204, data: null, error: null }]);
        expect([prefix, res.status, text]).toEqual([prefix, 204, '']);
        continue;
      }
      const decoded = decodeText(preset, res.status, text, res.headers, variant ? { variant: variant as 'portal' } : undefined);
      expect([prefix, route, decoded.ok]).toEqual([prefix, route, true]);
      if (!decoded.ok) continue;
      const spreads = preset === 'statusOk' || preset === 'webServiceReturn' || variant === 'license';
      // A spreading preset puts a non-object payload under its slot; the client hands back the
      // object of the keys beside the envelope's (see the report: it should hand back the payload).
      const slot = ({ statusOk: 'result', webServiceReturn: 'Data', wispanel: 'data' } as Record<string, string>)[preset];
      const fromClient =
        spreads && spec.payload !== 'object' && Object.keys(decoded.data as object).join() === slot
          ? (decoded.data as Record<string, unknown>)[slot]
          : decoded.data;
      expect({ prefix, route, payload }).toEqual({ prefix, route, payload: fromClient });
    }
  }, 300_000);

  describe('every real body validates against the document', () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    const scenarios: { prefix: string; name: string; method: string; path: string; body?: string }[] = [];
    for (const [prefix] of FORMATS) {
      for (const route of ROUTES)
        scenarios.push({
          prefix,
          name: route.name,
          method: route.method,
          path: route.path,
          body: route.method === 'post' ? '{"name":"New"}' : undefined,
        });
      for (const scenario of ERRORS)
        scenarios.push({
          prefix,
          name: scenario.name,
          method: scenario.method,
          path: scenario.path,
          body: scenario.name === 'malformed' ? '{"name": ' : undefined,
        });
    }

    it.each(scenarios.map((s) => [`${s.prefix} ${s.name}`, s] as const))(
      '%s: ajv 2020-12 and openapi-response-validator',
      async (_label, s) => {
        const res = await fetch(`${base}/${s.prefix}${s.path}`, {
          method: s.method.toUpperCase(),
          headers: s.body === undefined ? {} : { 'Content-Type': 'application/json' },
          body: s.body,
        });
        const text = await res.text();
        const responses = document.paths[`/${s.prefix}${s.path}`][s.method].responses;
        const entry = responses[String(res.status)];
        expect([s.name, res.status, entry === undefined ? 'undescribed' : 'described']).toEqual([s.name, res.status, 'described']);
        for (const [name, header] of Object.entries(entry.headers)) {
          if (header.required) expect([name, res.headers.get(name)]).toEqual([name, expect.any(String)]);
        }
        const mediaType = (res.headers.get('content-type') ?? '').split(';')[0].trim();
        const body: unknown = text === '' ? undefined : JSON.parse(text);
        if (entry.content === undefined) {
          expect([res.status, text]).toEqual([res.status, '']);
        } else {
          const schema = entry.content[mediaType]?.schema;
          expect([mediaType, schema === undefined ? 'no schema' : 'schema']).toEqual([mediaType, 'schema']);
          const validate = ajv.compile({ ...schema, components: document.components });
          if (!validate(body)) throw new Error(`ajv: ${ajv.errorsText(validate.errors)}\n${text}`);
        }
        const independent = new OpenAPIResponseValidator({
          responses: { [String(res.status)]: entry } as never,
          components: document.components as never,
        });
        const verdict = independent.validateResponse(res.status, body === undefined ? undefined : structuredClone(body));
        if (verdict !== undefined) throw new Error(`openapi-response-validator: ${JSON.stringify(verdict.errors)}\n${text}`);
      },
      30_000,
    );
  });

  it("Spectral's spectral:oas ruleset: no error, no warning", async () => {
    const spectral = new Spectral();
    spectral.setRuleset(oas as never);
    const results = await spectral.run(new Document(JSON.stringify(document, null, 2), Json));
    // Severity 0 is an error, 1 a warning. The document's own servers/contact/tags are not the package's.
    const own = new Set(['oas3-api-servers', 'info-contact', 'openapi-tags', 'operation-tags', 'operation-description']);
    const found = results
      .filter((r) => r.severity <= 1 && !own.has(String(r.code)))
      .map((r) => `${r.code}: ${r.message} at ${r.path.join('.')}`);
    expect(found).toEqual([]);
    // The control: the ruleset runs, and finds a broken document.
    const broken = structuredClone(document);
    broken.paths['/vbapi/count'].get.operationId = 'vbapi_object';
    const control = await spectral.run(new Document(JSON.stringify(broken, null, 2), Json));
    expect(control.map((r) => r.code)).toContain('operation-operationId-unique');
  }, 120_000);
});
