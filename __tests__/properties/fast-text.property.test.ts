// The text fast path gives the general path's status, headers and text, byte for byte, for any
// payload and request id, in every preset and variant (or fails the same way).

import fc from 'fast-check';
import { type Format, type Outcome, type RenderContext } from '../../index';
import { resolveFormat } from '../../lib/registry';
import { serialize } from '../../lib/serialize';
import { renderText } from '../../lib/fast-text';
import { PRESET_CASES } from '../helpers/validation-oracle';

export const RUNS = 400;

const presets = PRESET_CASES.map((c) => ({ name: c.name, format: resolveFormat(c.format, c.options) as Format }));

/** The keys the spreading formats own, and keys JSON and objects treat specially. */
const key = fc.oneof(
  fc.string({ maxLength: 6 }),
  fc.string({ unit: 'binary', maxLength: 4 }),
  fc.constantFrom('status', 'WebServiceReturn', 'valid', 'data', 'result', '__proto__', 'toJSON', '0', '7', '01', '-1', 'constructor'),
);

/** An object whose keys are own data properties, `__proto__` included (as JSON.parse makes them). */
function objectOf(entries: [string, unknown][], proto: object | null): Record<string, unknown> {
  const object = Object.create(proto) as Record<string, unknown>;
  for (const [k, v] of entries) Object.defineProperty(object, k, { value: v, enumerable: true, writable: true, configurable: true });
  return object;
}

const leaf = fc.oneof(
  fc.jsonValue({ maxDepth: 1 }),
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc.bigInt(),
  fc.constantFrom(undefined, () => 1, Symbol('s'), new Date(0), Number.NaN, -0, Infinity),
  fc.constant(null).map(() => ({ toJSON: (k: string) => `toJSON(${k})` })),
);

const { value: payload } = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, leaf, tie('object'), tie('array'), tie('withToJSON')),
  object: fc
    .tuple(fc.array(fc.tuple(key, tie('value')), { maxLength: 5 }), fc.constantFrom(Object.prototype, null))
    .map(([entries, proto]) => objectOf(entries, proto)),
  array: fc.array(tie('value'), { maxLength: 4 }),
  withToJSON: tie('object').map((o) => Object.assign(o as object, { toJSON: (k: string) => ({ key: k }) })),
}));

const outcome = fc.record({
  kind: fc.constantFrom('success' as const, 'info' as const),
  status: fc.constantFrom(200, 201, 202, 203, 206, 299, 302, 399),
  data: payload,
});

const requestIdText = fc.oneof(
  fc.uuid(),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.constantFrom('a"b', '</script>', '\u2028\ud800'),
);

/** What the general path does: render, then serialize; or the code of what it throws. */
function general(format: Format, o: Outcome, ctx: RenderContext): unknown {
  try {
    const rendered = format.render(o, ctx);
    return { status: rendered.status, headers: rendered.headers, text: serialize(rendered.body) };
  } catch (error) {
    return { threw: (error as { code?: string }).code ?? String(error) };
  }
}

function fast(format: Format, o: Outcome, ctx: RenderContext): unknown {
  try {
    const [rendered, text] = renderText(format, o, ctx, {});
    return { status: rendered.status, headers: rendered.headers, text };
  } catch (error) {
    return { threw: (error as { code?: string }).code ?? String(error) };
  }
}

describe('renderText() fast path', () => {
  it.each(presets.map((p) => [p.name, p.format] as const))(
    '%s: the same status, headers and text as render + serialize',
    (_name, format) => {
      expect(format.payload).toBeDefined();
      fc.assert(
        fc.property(outcome, requestIdText, fc.boolean(), (o, requestId, debug) => {
          const ctx = { requestId, instance: '/clients/7', debug };
          expect(fast(format, o, ctx)).toEqual(general(format, o, ctx));
        }),
        { numRuns: RUNS },
      );
    },
  );

  it('spliced text equals the general text on fixed payloads of each placement', () => {
    const vbapi = resolveFormat('vbapi');
    const ctx = { requestId: 'id-"1"', instance: '/x', debug: false };
    const [rendered, text] = renderText(vbapi, { kind: 'success', status: 201, data: { a: 1n } }, ctx, {});
    expect(rendered).toEqual({ status: 201, body: undefined });
    expect(text).toBe('{"data":{"a":1},"error":null,"debug":{"activityId":"id-\\"1\\""}}');
    const statusOk = resolveFormat('statusOk');
    expect(renderText(statusOk, { kind: 'success', status: 200, data: { b: [1] } }, ctx, {})[1]).toBe('{"status":"OK","b":[1]}');
    expect(renderText(statusOk, { kind: 'success', status: 200, data: {} }, ctx, {})[1]).toBe('{"status":"OK"}');
    expect(renderText(statusOk, { kind: 'success', status: 200, data: [2] }, ctx, {})[1]).toBe('{"status":"OK","result":[2]}');
    expect(renderText(resolveFormat('problem'), { kind: 'success', status: 200, data: 'x' }, ctx, {})[1]).toBe('"x"');
  });

  it('leaves the body to render() + serialize() when a json setting or an extra is present', () => {
    const vbapi = resolveFormat('vbapi');
    const ctx = { requestId: 'r', instance: '/x', debug: false };
    const data = { html: '<b>' };
    expect(renderText(vbapi, { kind: 'success', status: 200, data }, ctx, { escape: true })[1]).toBe(
      '{"data":{"html":"\\u003cb\\u003e"},"error":null,"debug":{"activityId":"r"}}',
    );
    expect(renderText(vbapi, { kind: 'success', status: 200, data }, ctx, { spaces: 1 })[1]).toBe(
      serialize({ data, error: null, debug: { activityId: 'r' } }, { spaces: 1 }),
    );
    expect(renderText(vbapi, { kind: 'success', status: 200, data, meta: { page: 2 } }, ctx, {})).toEqual([
      { status: 200, body: { data, error: null, debug: { activityId: 'r' } }, headers: { 'X-Pagination': '{"page":2}' } },
      '{"data":{"html":"<b>"},"error":null,"debug":{"activityId":"r"}}',
    ]);
  });

  it('a custom format whose text does not hold its declared placement is rendered the general way', () => {
    // Declares 'slot' but writes the payload twice: no plan, the general text.
    const twice: Format = {
      name: 'twice',
      payload: 'slot',
      render: (o) => ({ status: 200, body: { a: o.kind === 'error' ? null : o.data, b: o.kind === 'error' ? null : o.data } }),
      schemas: () => ({ success: {}, error: {} }),
    };
    const ctx = { requestId: 'r', instance: '/x', debug: false };
    expect(renderText(twice, { kind: 'success', status: 200, data: 1 }, ctx, {})).toEqual([
      { status: 200, body: { a: 1, b: 1 } },
      '{"a":1,"b":1}',
    ]);
  });
});
