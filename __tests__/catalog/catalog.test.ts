// One catalog definition drives the throw site, the texts in three languages, the OpenAPI enum
// (checked against real responses by ajv 2020-12 and by openapi-response-validator) and the
// generated reference page.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import OpenAPIResponseValidator from 'openapi-response-validator';
import { defineErrors, errorCatalogMarkdown, openApiResponses, type OpenApiResponses } from '../../index';
import { EXPRESS_FLAVORS, FLAVORS, createApp, quiet } from '../helpers/create-app';
import { expectEnvelope } from '../helpers/expect-envelope';
import { DESCRIBED, assertDescribed } from '../helpers/openapi';
import { payments } from './payments';

const ROOT = join(__dirname, '..', '..');
const languages = { locales: payments.locales, translate: payments.translate };

const routes = {
  '/pay': () => {
    throw payments.CARD_DECLINED();
  },
  '/orders/7': () => {
    throw payments.ORDER_NOT_FOUND('Order 7 does not exist');
  },
  '/ledger': () => {
    throw payments.LEDGER_BUSY({ cause: new Error('lock held by job 12') });
  },
  '/ledger/down': () => {
    throw payments.LEDGER_DOWN();
  },
};

describe('the catalog', () => {
  test('lists its codes, languages and definitions', () => {
    expect(payments.codes).toEqual(['CARD_DECLINED', 'ORDER_NOT_FOUND', 'LEDGER_BUSY', 'LEDGER_DOWN']);
    expect(payments.locales).toEqual(['en', 'es', 'pt']);
    expect(payments.definitions.LEDGER_BUSY.retryable).toBe(true);
    expect(Object.isFrozen(payments) && Object.isFrozen(payments.definitions)).toBe(true);
  });

  test('a throw helper makes an http-error with its status, code, type and text, exposed by status', () => {
    const declined = payments.CARD_DECLINED();
    expect(declined).toBeInstanceOf(Error);
    const { status, statusCode, expose, code, type, message, name } = declined;
    expect({ status, statusCode, expose, code, type, message, name }).toEqual({
      status: 402,
      statusCode: 402,
      expose: true,
      code: 'CARD_DECLINED',
      type: 'https://errors.example.com/card-declined',
      message: 'The card was declined',
      name: 'PaymentRequiredError',
    });
    expect(declined.stack).toContain('CARD_DECLINED');
    const down = payments.LEDGER_DOWN();
    expect([down.status, down.expose, down.code, down.message]).toEqual([503, false, 'LEDGER_DOWN', 'The ledger is unavailable']);
    const cause = new Error('lock');
    expect(payments.LEDGER_BUSY({ message: 'Busy with job 12', cause })).toMatchObject({
      message: 'Busy with job 12',
      cause,
      code: 'LEDGER_BUSY',
    });
  });

  test("message() gives a code's text in a language, the nearest one, else the default", () => {
    expect(payments.message('CARD_DECLINED', 'pt')).toBe('O cartão foi recusado');
    expect(payments.message('CARD_DECLINED', 'es-MX')).toBe('La tarjeta fue rechazada');
    expect(payments.message('CARD_DECLINED', 'de')).toBe('The card was declined');
    expect(payments.message('LEDGER_DOWN', 'es')).toBe('The ledger is unavailable');
  });

  test.each([
    [null, 'the definitions must be an object'],
    [{}, 'define at least one code'],
    [{ 'BAD CODE': { status: 400, message: 'x' } }, '"BAD CODE" is not a code'],
    [{ codes: { status: 400, message: 'x' } }, '"codes" is a name the catalog keeps for itself'],
    [{ A: { status: 200, message: 'x' } }, 'A: status must be an error status (400..599)'],
    [{ A: { status: 400 } }, 'A: message must be a string or { en, es, … }'],
    [{ A: { status: 400, message: '' } }, 'A: message must not be empty'],
    [{ A: { status: 400, message: {} } }, 'A: message must hold at least one language'],
    [{ A: { status: 400, message: { 'e n': 'x' } } }, 'A: "e n" in message is not a language tag'],
    [{ A: { status: 400, message: { en: 5 } } }, 'A: message.en must be a non-empty string'],
    [{ A: { status: 400, message: 'x', type: 'card-declined' } }, 'A: type must be an absolute URI'],
    [{ A: { status: 400, message: 'x', retryable: 'yes' } }, 'A: retryable must be a boolean'],
    [{ A: { status: 400, message: 'x', docs: '/errors' } }, 'A: docs must be an absolute URL'],
    [{ A: { status: 400, message: 'x', title: 'y' } }, 'A: unknown key "title"'],
    [{ A: JSON.parse('{"status":400,"message":"x","constructor":1}') }, 'A: unknown key "constructor"'],
  ])('refuses %j', (definitions, message) => {
    expect(() => defineErrors(definitions as never)).toThrow(
      expect.objectContaining({ code: 'ERR_ENVELOPE_INVALID_CATALOG', message: expect.stringContaining(`defineErrors(): ${message}`) }),
    );
  });
});

describe.each(FLAVORS)('the throw site, in three languages, on %s', (flavor) => {
  quiet();
  const app = createApp(flavor, {
    mounts: [
      { prefix: '/wispanel', format: 'wispanel', options: languages, routes },
      { prefix: '/problem', format: 'problem', options: languages, routes },
      { prefix: '/status-ok', format: 'statusOk', options: languages, routes },
    ],
  });

  test.each([
    ['en', 'The card was declined'],
    ['es', 'La tarjeta fue rechazada'],
    ['pt-BR', 'O cartão foi recusado'],
  ])('Accept-Language %s', async (language, text) => {
    const locale = language.slice(0, 2);
    const headers = { 'Content-Language': locale, Vary: 'Accept-Language' };
    const wispanel = await request(app).get('/wispanel/pay').set('Accept-Language', language);
    expectEnvelope(wispanel, {
      format: 'wispanel',
      kind: 'error',
      status: 402,
      headers,
      body: { success: false, code: 'CARD_DECLINED', error: text, message: text, status: 402 },
    });
    const problem = await request(app).get('/problem/pay').set('Accept-Language', language);
    const title = { en: 'Payment Required', es: 'Pago requerido', pt: 'Pagamento necessário' }[locale];
    expectEnvelope(problem, {
      format: 'problem',
      kind: 'error',
      status: 402,
      headers,
      contentType: 'application/problem+json; charset=utf-8',
      body: {
        type: 'https://errors.example.com/card-declined',
        title,
        status: 402,
        detail: text,
        instance: '/problem/pay',
        code: 'CARD_DECLINED',
      },
    });
    const statusOk = await request(app).get('/status-ok/pay').set('Accept-Language', language);
    expectEnvelope(statusOk, {
      format: 'statusOk',
      kind: 'error',
      status: 200,
      headers,
      body: { status: 'error', code: 'CARD_DECLINED', text },
    });
  });

  test("a text given at the throw site is that occurrence's own, in every language", async () => {
    const res = await request(app).get('/wispanel/orders/7').set('Accept-Language', 'es');
    expectEnvelope(res, {
      format: 'wispanel',
      kind: 'error',
      status: 404,
      body: { success: false, code: 'ORDER_NOT_FOUND', error: 'Order 7 does not exist', message: 'Order 7 does not exist', status: 404 },
    });
  });

  test('a 5xx code is not shown: the generic text, in the language, without the code', async () => {
    const res = await request(app).get('/wispanel/ledger/down').set('Accept-Language', 'es');
    expect(JSON.parse(res.text)).toMatchObject({ success: false, status: 503 });
    expect(JSON.parse(res.text).code).not.toBe('LEDGER_DOWN');
    expect(res.text).not.toContain('ledger');
  });
});

describe('the OpenAPI description: each status an enum of the codes it carries', () => {
  test('wispanel: the code field', () => {
    const responses = openApiResponses('wispanel', { catalog: payments });
    expect(Object.keys(responses)).toEqual(['200', '400', '402', '404', '409', '500', '503']);
    const codeOf = (status: string) =>
      (responses[status].content?.['application/json'].schema as { properties: Record<string, unknown> }).properties.code;
    expect(codeOf('402')).toEqual({ type: 'string', enum: ['CARD_DECLINED'] });
    expect(codeOf('404')).toEqual({ type: 'string', enum: ['NOT_FOUND', 'ORDER_NOT_FOUND'] });
    // A status only the catalog names carries only the catalog's codes.
    expect(codeOf('409')).toEqual({ type: 'string', enum: ['LEDGER_BUSY'] });
    // 5xx codes are not shown, so they are not described either.
    expect(codeOf('503')).toEqual({ type: 'string' });
  });

  test('problem: the code field and the type URIs', () => {
    const responses = openApiResponses('problem', { catalog: payments, errors: [404] });
    const schema = responses['402'].content?.['application/problem+json'].schema as { properties: Record<string, Record<string, unknown>> };
    expect(schema.properties.code.enum).toEqual(['CARD_DECLINED']);
    expect(schema.properties.type.enum).toEqual(['https://errors.example.com/card-declined']);
    const notFound = responses['404'].content?.['application/problem+json'].schema as {
      properties: Record<string, Record<string, unknown>>;
    };
    // No catalog code of 404 has a type: the type stays as the preset describes it.
    expect([notFound.properties.code.enum, notFound.properties.type.enum]).toEqual([['ORDER_NOT_FOUND'], undefined]);
  });

  test('statusOk: soft errors on 200 narrow only the error branch of the oneOf', () => {
    const responses = openApiResponses('statusOk', { catalog: payments, errors: [] });
    const [success, error] = (
      responses['200'].content?.['application/json'].schema as { oneOf: { properties: Record<string, Record<string, unknown>> }[] }
    ).oneOf;
    expect(success.properties.code).toBeUndefined();
    expect(error.properties.code.enum).toEqual(['CARD_DECLINED', 'LEDGER_BUSY', 'ORDER_NOT_FOUND', 'validation_error']);
  });

  test('a catalog that is not one is refused', () => {
    expect(() => openApiResponses('wispanel', { catalog: { codes: 'A' } as never })).toThrow(
      expect.objectContaining({ code: 'ERR_ENVELOPE_INVALID_OPTION' }),
    );
  });
});

describe.each(EXPRESS_FLAVORS)('the enum holds on the wire (%s): ajv 2020-12 and openapi-response-validator', (flavor) => {
  quiet();
  const app = createApp(flavor, {
    mounts: [
      { prefix: '/wispanel', format: 'wispanel', options: languages, routes },
      { prefix: '/problem', format: 'problem', options: languages, routes },
      { prefix: '/status-ok', format: 'statusOk', options: languages, routes },
    ],
  });
  const documents: Record<string, OpenApiResponses> = {
    wispanel: openApiResponses('wispanel', { catalog: payments }),
    problem: openApiResponses('problem', { catalog: payments }),
    'status-ok': openApiResponses('statusOk', { catalog: payments }),
  };

  test.each(
    Object.keys(documents).flatMap((prefix) =>
      ['/pay', '/orders/7', '/ledger', '/ledger/down', '/no-such-route'].map((path) => [prefix, path]),
    ),
  )('/%s%s', async (prefix, path) => {
    const res = await request(app).get(`/${prefix}${path}`).set('Accept-Language', 'pt');
    const responses = documents[prefix];
    assertDescribed(responses, res, `${prefix}${path}`);
    const validator = new OpenAPIResponseValidator({ responses: responses as never });
    expect(validator.validateResponse(res.status, JSON.parse(res.text))).toBeUndefined();
  });

  test('a code the catalog does not list fails the description', () => {
    const responses = documents.wispanel;
    const validator = new OpenAPIResponseValidator({ responses: responses as never });
    const body = { success: false, code: 'CARD_DECLIND', error: 'x', message: 'x', status: 402 };
    expect(validator.validateResponse(402, body)).toMatchObject({ errors: [expect.objectContaining({ path: 'code' })] });
    expect(() =>
      assertDescribed(
        responses,
        { status: 402, headers: { 'content-type': 'application/json', 'x-request-id': 'r' }, text: JSON.stringify(body) } as never,
        'misspelled',
      ),
    ).toThrow('must be equal to one of the allowed values');
  });
});

describe('the generated reference page', () => {
  test('docs/guides/error-catalog-example.md is exactly errorCatalogMarkdown() of the catalog', () => {
    const committed = readFileSync(join(ROOT, 'docs/guides/error-catalog-example.md'), 'utf8');
    expect(committed).toBe(errorCatalogMarkdown(payments, { title: 'Payment errors' }));
  });

  test('a change to the catalog changes the page', () => {
    const changed = defineErrors({ ...payments.definitions, CARD_DECLINED: { ...payments.definitions.CARD_DECLINED, status: 400 } });
    expect(errorCatalogMarkdown(changed, { title: 'Payment errors' })).not.toBe(
      errorCatalogMarkdown(payments, { title: 'Payment errors' }),
    );
  });

  test('cells are escaped', () => {
    const page = errorCatalogMarkdown(defineErrors({ PIPE: { status: 400, message: 'a | b\nc' } }));
    expect(page).toBe(
      '# Error codes\n\nGenerated from the error catalog: do not edit by hand.\n\n| Code | Status | Message | Type | Retryable | Docs |\n| --- | --- | --- | --- | --- | --- |\n| `PIPE` | 400 Bad Request | a \\| b c | — | — | — |\n',
    );
  });

  test('options are checked', () => {
    expect(() => errorCatalogMarkdown(payments, { titel: 'x' } as never)).toThrow(
      expect.objectContaining({ code: 'ERR_ENVELOPE_UNKNOWN_OPTION' }),
    );
    expect(() => errorCatalogMarkdown({} as never)).toThrow(expect.objectContaining({ code: 'ERR_ENVELOPE_INVALID_OPTION' }));
  });
});

describe('every preset and variant: thrown catalog errors match their description', () => {
  quiet();
  const mounts = DESCRIBED.map((described) => ({
    prefix: `/${described.name.replace(/\s+/g, '-')}`,
    format: described.preset,
    options: { ...(described.variant ? { variant: described.variant } : {}), ...languages },
    routes,
  }));
  const app = createApp('express5', { mounts });

  test.each(DESCRIBED.map((described) => [described.name, described] as const))('%s', async (_name, described) => {
    const responses = openApiResponses(described.preset as 'wispanel', {
      ...(described.variant ? { variant: described.variant } : {}),
      catalog: payments,
    });
    const validator = new OpenAPIResponseValidator({ responses: responses as never });
    for (const path of ['/pay', '/orders/7', '/ledger', '/ledger/down', '/no-such-route']) {
      const res = await request(app)
        .get(`/${described.name.replace(/\s+/g, '-')}${path}`)
        .set('Accept-Language', 'es');
      assertDescribed(responses, res, `${described.name}${path}`);
      expect([path, validator.validateResponse(res.status, JSON.parse(res.text))]).toEqual([path, undefined]);
    }
  });
});
