// A complete small API described with openApiResponses(): zod schemas as the payloads, an OpenAPI 3.1
// document served at /openapi.json, a Redoc page at /docs, express-openapi-validator checking the
// requests, and checkResponses() with openapi-response-validator the enveloped responses on the wire.
'use strict';

const createError = require('http-errors');
const OpenApiValidator = require('express-openapi-validator');
const OpenAPIResponseValidator = require('openapi-response-validator').default;
const { z } = require('zod');
const { checkResponses, envelope, errorHandler, notFound, openApiResponses, requestId } = require('express-envelope');

const Client = z.object({ id: z.number().int(), name: z.string() });
const NewClient = z.object({ name: z.string().min(1) });

const document = {
  openapi: '3.1.0',
  info: { title: 'Clients', version: '1.0.0' },
  paths: {
    '/api/clients/{id}': {
      get: {
        operationId: 'getClient',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
        responses: openApiResponses('vbapi', { data: z.toJSONSchema(Client) }),
      },
    },
    '/api/clients': {
      post: {
        operationId: 'createClient',
        requestBody: { required: true, content: { 'application/json': { schema: z.toJSONSchema(NewClient) } } },
        responses: openApiResponses('vbapi', { data: z.toJSONSchema(Client), status: 201, errors: [400, 409, 500] }),
      },
    },
  },
};

const REDOC = `<!doctype html>
<html>
  <head><meta charset="utf-8"><title>Clients API</title></head>
  <body>
    <redoc spec-url="/openapi.json"></redoc>
    <script src="https://cdn.redoc.ly/redoc/v2.5.1/bundles/redoc.standalone.js"></script>
  </body>
</html>
`;

/**
 * Checks every enveloped body, as written on the wire, against the operation that
 * express-openapi-validator matched (`req.openapi`), with openapi-response-validator: a body the
 * document does not describe becomes a 500 in the envelope. Its own refusals are checked too;
 * requests it matched no operation for are not.
 */
function checkAgainst(apiSpec) {
  const validators = new Map();
  return checkResponses(({ status, body }, req) => {
    const operation = req.openapi && req.openapi.schema;
    if (!operation) return;
    const key = `${req.method} ${req.openapi.openApiRoute}`;
    if (!validators.has(key))
      validators.set(key, new OpenAPIResponseValidator({ responses: operation.responses, components: apiSpec.components }));
    const problem = validators.get(key).validateResponse(status, body);
    if (problem) throw new Error(`${key}: the ${status} response does not match the document: ${JSON.stringify(problem.errors)}`);
  });
}

/** The app; `express` is the Express module to build it with (the tests pass Express 4 too). */
function createOpenApiApp(express = require('express')) {
  const clients = new Map([[1, { id: 1, name: 'Example' }]]);
  const app = express();
  app.use(requestId());
  app.get('/openapi.json', (_req, res) => res.json(document));
  app.get('/docs', (_req, res) => res.type('html').send(REDOC));

  app.use('/api', envelope('vbapi'), express.json());
  app.use('/api', checkAgainst(document), OpenApiValidator.middleware({ apiSpec: document, validateRequests: true }));
  app.get('/api/clients/:id', (req, res) => {
    const client = clients.get(Number(req.params.id));
    if (!client) throw createError(404, 'Client not found');
    res.json(client);
  });
  app.post('/api/clients', (req, res) => {
    const client = { id: clients.size + 1, ...NewClient.parse(req.body) };
    clients.set(client.id, client);
    res.status(201).json(client);
  });

  app.use(notFound());
  app.use(errorHandler());
  return app;
}

module.exports = { Client, NewClient, REDOC, checkAgainst, createOpenApiApp, document };
