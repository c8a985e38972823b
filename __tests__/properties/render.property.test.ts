// Properties of rendering, without HTTP: any thrown value and any payload, in every preset.

import fc from 'fast-check';
import { type Format } from '../../index';
import { toErrorOutcome } from '../../lib/error-outcome';
import { resolveFormat } from '../../lib/registry';
import { serialize } from '../../lib/serialize';
import { assertSchema } from '../helpers/expect-envelope';
import { afterRoundTrip, parseExact } from '../helpers/bigint-json';
import { PRESET_CASES } from '../helpers/validation-oracle';

export const RUNS = 300;

const presets = PRESET_CASES.map((c) => ({ ...c, instance: resolveFormat(c.format, c.options) as Format }));
const ctx = { requestId: 'prop-id', instance: '/prop', debug: false };

let marker = 0;
/** A message that must never reach a body when its error is not exposed. */
const secretMessage = fc.constant(null).map(() => `LEAK-${++marker}-never-shown`);

const status = fc.oneof(
  fc.integer({ min: 100, max: 700 }),
  fc.constantFrom(400, 404, 418, 499, 500, 503, 599),
  fc.double(),
  fc.string(),
  fc.constant(undefined),
);
const propertyValue = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.bigInt(), fc.constant(undefined));

const errorLike = fc
  .record(
    {
      message: secretMessage,
      status,
      statusCode: status,
      expose: fc.oneof(fc.boolean(), fc.constant(undefined), fc.string()),
      code: propertyValue,
      data: propertyValue,
      action: propertyValue,
      actor: propertyValue,
      hard: fc.oneof(fc.boolean(), propertyValue),
      headers: propertyValue,
    },
    { requiredKeys: ['message'] },
  )
  .map((props) => Object.assign(new Error(props.message), props));

const throwingGetters = fc.constantFrom('status', 'expose', 'message', 'code', 'details').map((key) =>
  Object.defineProperty(new Error('LEAK-getter'), key, {
    get() {
      throw new Error('LEAK-getter-threw');
    },
  }),
);

const circular = secretMessage.map((message) => {
  const err = Object.assign(new Error(message), { status: 500 }) as Error & { self?: unknown; data?: unknown };
  err.self = err;
  return err;
});

const anyThrown = fc.oneof(
  fc.jsonValue(),
  errorLike,
  throwingGetters,
  circular,
  fc.string().map((s) => Symbol(s)),
  fc.bigInt(),
  fc.constant(null),
  fc.constant(undefined),
);

/** docs/internals/contract.md#errors: status, else statusCode, when a whole number 400..599; else 500. */
function expectedStatus(err: unknown): number {
  if (!(err instanceof Error)) return 500;
  const valid = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 400 && v <= 599;
  try {
    const bag = err as unknown as Record<string, unknown>;
    if (valid(bag.status)) return bag.status;
    if (valid(bag.statusCode)) return bag.statusCode;
  } catch {
    return 500;
  }
  return 500;
}

function exposedOf(err: unknown, statusCode: number): boolean {
  try {
    const expose = (err as Record<string, unknown>).expose;
    return typeof expose === 'boolean' ? expose : statusCode < 500;
  } catch {
    return false;
  }
}

describe('any thrown value, in every preset', () => {
  it('renders a body that fits the preset schema, at the status of docs/internals/contract.md#errors, leaking no unexposed message', () => {
    fc.assert(
      fc.property(anyThrown, (err) => {
        const statusCode = expectedStatus(err);
        let throwsOnRead = false;
        try {
          void (err as Record<string, unknown> | null)?.status;
          void (err as Record<string, unknown> | null)?.expose;
        } catch {
          throwsOnRead = true;
        }
        for (const preset of presets) {
          const outcome = toErrorOutcome(err, { genericMessage: preset.instance.genericMessage });
          const wanted = throwsOnRead ? 500 : statusCode;
          expect(outcome.status).toBe(wanted);
          const rendered = preset.instance.render(outcome, ctx);
          let text: string;
          try {
            text = serialize(rendered.body);
          } catch {
            // err.data exposed but unserializable: the envelope answers 500 (tested over HTTP); nothing leaks here.
            continue;
          }
          const body = parseExact(text);
          assertSchema(preset.format, 'error', body, preset.options);
          const hard = wanted >= 500 || (err as Record<string, unknown> | null)?.hard === true;
          const wire =
            preset.format === 'webServiceReturn' ? (wanted >= 500 ? 500 : 200) : preset.format === 'statusOk' && !hard ? 200 : wanted;
          expect([preset.name, rendered.status]).toEqual([preset.name, wire]);
          if (throwsOnRead || !exposedOf(err, wanted)) expect(text).not.toContain('LEAK-');
        }
      }),
      { numRuns: RUNS },
    );
  });
});

const leaf = fc.oneof(fc.jsonValue({ maxDepth: 0 }), fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n }));
const { payload } = fc.letrec((tie) => ({
  payload: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('payload'), { maxLength: 4 }),
    fc.dictionary(fc.string(), tie('payload'), { maxKeys: 4 }),
  ),
}));

/** Where each preset puts the data of a success, and the keys its own envelope owns. */
const DATA_AT: Record<string, { slot?: string; spread?: { reserved: string; other: string } }> = {
  vbapi: { slot: 'data' },
  backendResponse: { slot: 'data' },
  'wispanel panel': { slot: 'data' },
  'wispanel portal': { slot: 'data' },
  'wispanel license': { spread: { reserved: 'valid', other: 'data' } },
  'wispanel lean': { slot: 'data' },
  'wispanel bare': {},
  webServiceReturn: { spread: { reserved: 'WebServiceReturn', other: 'Data' } },
  statusOk: { spread: { reserved: 'status', other: 'result' } },
  jsend: { slot: 'data' },
  problem: {},
};

const isPlain = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

describe('any JSON payload plus BigInts, in every preset', () => {
  it('renders a success body that fits the schema and gives the data back exactly', () => {
    fc.assert(
      fc.property(payload, (data) => {
        for (const preset of presets) {
          const where = DATA_AT[preset.name];
          let rendered;
          try {
            rendered = preset.instance.render({ kind: 'success', status: 200, data }, ctx);
          } catch (error) {
            // Only a payload key that the envelope owns may refuse to render.
            expect([preset.name, isPlain(data) && where.spread !== undefined && Object.keys(data).includes(where.spread.reserved)]).toEqual(
              [preset.name, true],
            );
            expect(error).toMatchObject({ code: 'ERR_ENVELOPE_RESERVED_KEY' });
            continue;
          }
          const body = parseExact(serialize(rendered.body)) as Record<string, unknown>;
          assertSchema(preset.format, 'success', JSON.parse(serialize(rendered.body)), preset.options);
          let back: unknown;
          if (where.slot) back = body[where.slot];
          else if (!where.spread) back = body;
          else if (isPlain(data)) back = Object.fromEntries(Object.keys(data).map((k) => [k, body[k]]));
          else back = body[where.spread.other];
          expect([preset.name, back]).toEqual([preset.name, afterRoundTrip(data)]);
        }
      }),
      { numRuns: RUNS },
    );
  });
});
