// The format model without Express: registry, defineFormat, payload spreading, statuses.

import { defineFormat } from '../../index';
import { backendResponse } from '../../lib/formats/backend-response';
import { statusOk } from '../../lib/formats/status-ok';
import { vbapi } from '../../lib/formats/vbapi';
import { PRESET_NAMES, resolveFormat } from '../../lib/registry';
import { appendPayload, isPlainObject, spreadPayload } from '../../lib/payload';
import { lowerSnake, statusTitle, upperSnake } from '../../lib/status';

describe('registry', () => {
  it('knows the seven presets and their aliases, each resolving to its format', () => {
    const names: Record<string, string> = {
      vbapi: 'vbapi',
      backendResponse: 'backendResponse',
      wisphub: 'backendResponse',
      wispanel: 'wispanel',
      webServiceReturn: 'webServiceReturn',
      statusOk: 'statusOk',
      universa: 'statusOk',
      jsend: 'jsend',
      problem: 'problem',
    };
    // A preset added later joins the list; these names are the public contract and stay.
    expect(PRESET_NAMES).toEqual(expect.arrayContaining(Object.keys(names)));
    for (const name of PRESET_NAMES) expect(typeof resolveFormat(name).render).toBe('function');
    expect(Object.fromEntries(Object.keys(names).map((name) => [name, resolveFormat(name).name]))).toEqual(names);
    expect(resolveFormat('wispanel', { variant: 'portal' }).name).toBe('wispanel:portal');
  });

  it('passes a Format through unchanged', () => {
    const format = vbapi();
    expect(resolveFormat(format)).toBe(format);
  });
});

describe('defineFormat()', () => {
  it('returns a well-formed format and rejects broken ones', () => {
    const ok = { name: 'x', render: () => ({ status: 200, body: null }), schemas: () => ({ success: {}, error: {} }) };
    expect(defineFormat(ok)).toBe(ok);
    for (const bad of [null, {}, { ...ok, name: '' }, { ...ok, render: 1 }, { ...ok, schemas: undefined }]) {
      expect(() => defineFormat(bad as never)).toThrow(expect.objectContaining({ code: 'ERR_ENVELOPE_INVALID_FORMAT' }));
    }
  });
});

describe('payload helpers', () => {
  it('recognises plain objects only', () => {
    expect([{}, Object.create(null), { a: 1 }].map(isPlainObject)).toEqual([true, true, true]);
    expect([[], new Date(), null, 'x', { toJSON: () => 1 }, new (class A {})()].map(isPlainObject)).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  it('spreads a __proto__ key from JSON.parse as data, not as a prototype', () => {
    const body = spreadPayload({ status: 'OK' }, JSON.parse('{"__proto__":{"polluted":true},"a":1}'), 'result', 'statusOk');
    expect(JSON.stringify(body)).toBe('{"status":"OK","__proto__":{"polluted":true},"a":1}');
    expect((body as { polluted?: boolean }).polluted).toBeUndefined();
    const error = appendPayload({ status: 'error' }, JSON.parse('{"__proto__":{"x":1},"status":"mine"}'));
    expect(JSON.stringify(error)).toBe('{"status":"error","__proto__":{"x":1}}');
  });
});

describe('statuses', () => {
  it('names statuses as Node does and derives codes', () => {
    expect([statusTitle(404), statusTitle(299)]).toEqual(['Not Found', 'Error']);
    expect([upperSnake("I'm a Teapot"), lowerSnake('Method Not Allowed')]).toEqual(['I_M_A_TEAPOT', 'method_not_allowed']);
  });
});

describe('render without Express', () => {
  const ctx = { requestId: 'r-1', instance: '/x', debug: false };

  it('keeps the Spanish internal error text of backendResponse as its generic message', () => {
    const format = backendResponse();
    expect([format.genericMessage?.(500), format.genericMessage?.(404)]).toEqual(['Ocurrió un error interno en el servidor.', 'Not Found']);
  });

  it('puts statusOk payloads that are not objects under result', () => {
    expect(statusOk().render({ kind: 'success', status: 200, data: 'text' }, ctx)).toEqual({
      status: 200,
      body: { status: 'OK', result: 'text' },
    });
  });
});
