// A complete small API described with openApiResponses(): zod schemas as the payloads, an OpenAPI 3.1
// document served at /openapi.json, a Redoc page at /docs, and express-openapi-validator checking
// requests and the enveloped responses, as written on the wire.
'use strict';

const { Buffer } = require('node:buffer');
const createError = require('http-errors');
const OpenApiValidator = require('express-openapi-validator');
const { z } = require('zod');
const { envelope, errorHandler, notFound, openApiResponses, requestId } = require('express-envelope');

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
 * express-openapi-validator checks a response by wrapping `res.json` for each request, and checks
 * what the handler passes to it; the envelope renders that payload and writes the finished text with
 * `res.send()` (successes) or `res.end()` (errors). Mounted in the validator's place, this hands the
 * validator the enveloped body, as written, lets the handlers' `res.json()` reach the envelope, and
 * renders a failed check as a 500 in the request's envelope.
 */
function checkOnTheWire(validator) {
  const renderFailure = errorHandler();

  return function checkOnTheWire(req, res, next) {
    const state = { check: undefined, write: undefined, checking: false, failure: undefined };
    // The validator keeps the res.json it finds as the function that sends a body it has checked:
    // here that writes the envelope's text, exactly as the envelope wrote it.
    const sendChecked = function sendChecked() {
      delete res.json;
      const write = state.write;
      state.write = undefined;
      if (write) write();
      return res;
    };
    res.json = sendChecked;
    const { send, end } = res;
    const intercept = (write, text) => {
      res.send = send;
      res.end = end;
      const check = state.check;
      state.check = undefined;
      let body;
      try {
        // A 204 or 304 goes out without its body: nothing on the wire to check.
        if (check && typeof text === 'string' && res.statusCode !== 204 && res.statusCode !== 304) body = JSON.parse(text);
      } catch {
        // Not JSON: nothing for the validator to check.
      }
      if (body === undefined) return write();
      state.write = write;
      state.checking = true;
      try {
        check.call(res, body);
      } finally {
        state.checking = false;
      }
      if (state.failure === undefined) return res;
      const failure = state.failure;
      state.failure = undefined;
      delete res.json;
      return renderFailure(failure, req, res, next);
    };
    res.send = (body) => intercept(() => send.call(res, body), body);
    res.end = (chunk, ...rest) => intercept(() => end.call(res, chunk, ...rest), Buffer.isBuffer(chunk) ? chunk.toString() : chunk);

    // Runs the validator's middleware here, so that a failed check comes back to us.
    let index = 0;
    const step = (err) => {
      if (state.checking) {
        state.failure = err;
        return;
      }
      if (err === undefined && index < validator.length) {
        validator[index++](req, res, step);
        return;
      }
      // The validator's check now sits in res.json: keep it for the wire, give res.json back to the envelope.
      if (res.json !== sendChecked) state.check = res.json;
      delete res.json;
      next(err);
    };
    step();
  };
}

/** The app; `express` is the Express module to build it with (the tests pass Express 4 too). */
function createOpenApiApp(express = require('express')) {
  const clients = new Map([[1, { id: 1, name: 'Example' }]]);
  const app = express();
  app.use(requestId());
  app.get('/openapi.json', (_req, res) => res.json(document));
  app.get('/docs', (_req, res) => res.type('html').send(REDOC));

  app.use('/api', envelope('vbapi'), express.json());
  app.use('/api', checkOnTheWire(OpenApiValidator.middleware({ apiSpec: document, validateRequests: true, validateResponses: true })));
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

module.exports = { Client, NewClient, REDOC, checkOnTheWire, createOpenApiApp, document };
