// The client's law: for every preset, alias and WisPanel variant, any outcome rendered by the real
// format and serialized as the server sends it decodes back to what the body keeps of it — success
// or failure, kind, HTTP status, message, code, issues, data (BigInt included) and request id.

import fc from 'fast-check';
import { type ErrorOutcome, type Issue, type Outcome, type SuccessOutcome, defineFormat } from '../../index';
import { resolveFormat } from '../../lib/registry';
import { serialize } from '../../lib/serialize';
import { decodeText } from '../../client';
import type { ClientPreset, Decoded, DecodeOptions } from '../../client';
import { issuesByField, issuesText, joinIssues } from '../../lib/issues';
import { lowerSnake, statusTitle } from '../../lib/status';
import { wispanelCode } from '../../lib/formats/wispanel';
import { isPlainObject } from '../../lib/payload';
import { assertSchema } from '../helpers/expect-envelope';

const RUNS = 300;

interface Case {
  preset: ClientPreset;
  options?: DecodeOptions;
  label: string;
}

const CASES: Case[] = [
  { preset: 'vbapi', label: 'vbapi' },
  { preset: 'backendResponse', label: 'backendResponse' },
  { preset: 'wisphub', label: 'wisphub' },
  ...(['panel', 'portal', 'license', 'lean', 'bare'] as const).map((variant) => ({
    preset: 'wispanel' as const,
    options: { variant },
    label: `wispanel ${variant}`,
  })),
  { preset: 'webServiceReturn', label: 'webServiceReturn' },
  { preset: 'statusOk', label: 'statusOk' },
  { preset: 'universa', label: 'universa' },
  { preset: 'jsend', label: 'jsend' },
  { preset: 'problem', label: 'problem' },
];

/** What decoding a JSON value gives back: integer literals beyond the safe range are BigInt, -0 is 0. */
function wire(value: unknown): unknown {
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) && BigInt(Number(value)) === value ? Number(value) : value;
  if (typeof value === 'number') {
    if (Object.is(value, -0)) return 0;
    // JSON writes a Number's shortest digits (2^55 as 36028797018963970), read back exact as BigInt.
    return Number.isInteger(value) && !Number.isSafeInteger(value) && /^-?\d+$/.test(String(value)) ? BigInt(String(value)) : value;
  }
  if (Array.isArray(value)) return value.map(wire);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) if (item !== undefined) out[key] = wire(item);
    return out;
  }
  return value;
}

const key = fc.string({ maxLength: 8 }).filter((k) => k !== '__proto__');
const leaf = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.string({ maxLength: 12 }),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
  fc.constantFrom(9223372036854775807n, 2n ** 53n + 1n, 2 ** 53, 2 ** 60, 1e20, -(2 ** 55)),
);
const { payload } = fc.letrec((tie) => ({
  payload: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('payload'), { maxLength: 4 }),
    fc.dictionary(key, tie('payload'), { maxKeys: 5 }),
  ),
}));
const text = fc.string({ maxLength: 20 });
const meta = fc.dictionary(key, fc.oneof(fc.integer(), fc.string({ maxLength: 6 }), fc.boolean()), { maxKeys: 3 });
const path = fc.oneof(
  fc.constant(''),
  fc.array(fc.oneof(fc.stringMatching(/^[a-z]{1,5}$/), fc.nat(9).map(String)), { minLength: 1, maxLength: 3 }).map((p) => p.join('.')),
  fc.string({ maxLength: 8 }),
);
const issue: fc.Arbitrary<Issue> = fc.record({ path, message: fc.string({ minLength: 1, maxLength: 12 }) });

const success: fc.Arbitrary<SuccessOutcome> = fc.record(
  {
    kind: fc.constantFrom('success' as const, 'info' as const),
    status: fc.constantFrom(200, 201, 202, 203, 206),
    data: fc.oneof(payload, fc.constant(undefined), fc.dictionary(key, payload, { maxKeys: 5 })),
    action: text,
    message: text,
    meta,
  },
  { requiredKeys: ['kind', 'status', 'data'] },
);

const failure: fc.Arbitrary<ErrorOutcome> = fc.record(
  {
    kind: fc.constant('error' as const),
    status: fc.integer({ min: 400, max: 599 }),
    message: text,
    code: fc.oneof(fc.constantFrom('E_PAYMENT', 'WSR-004', 'client_not_found', ''), text),
    action: text,
    actor: text,
    details: fc.array(issue, { maxLength: 4 }),
    data: fc.oneof(fc.dictionary(key, payload, { maxKeys: 4 }), payload),
    type: fc.constantFrom('https://example.com/probs/out-of-credit', 'urn:problem:payment'),
    returnQuestion: fc.jsonValue({ maxDepth: 1 }),
    hard: fc.boolean(),
    validation: fc.boolean(),
  },
  { requiredKeys: ['kind', 'status', 'message', 'hard', 'validation'] },
);

const request = fc.record({
  id: fc.stringMatching(/^[A-Za-z0-9._:-]{1,24}$/),
  withHeader: fc.boolean(),
  retryAfter: fc.option(fc.nat(3600), { nil: undefined }),
});

/**
 * The data of a spreading preset's success: the payload's keys, or a payload that is not an object,
 * which the wire sends under the slot. (`{ [slot]: [1] }` and `[1]` are the same bytes: both read `[1]`.)
 */
function spread(data: unknown, slot: string): unknown {
  if (data === undefined) return {};
  if (!isPlainObject(data)) return wire(data);
  const keys = Object.keys(data).filter((k) => data[k] !== undefined);
  const only = data[slot];
  if (keys.length === 1 && keys[0] === slot && (only === null || typeof only !== 'object' || Array.isArray(only))) return wire(only);
  return wire(data);
}

/** An error body's extra keys: an exposed plain-object `data`, less the keys the envelope owns. */
function extra(data: unknown, own: string[]): Record<string, unknown> | undefined {
  if (!isPlainObject(data)) return undefined;
  const out = wire(Object.fromEntries(Object.entries(data).filter(([k]) => !own.includes(k)))) as Record<string, unknown>;
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The field map's entries as issues, one per message. */
function fieldIssues(fields: Record<string, string[]>): { path: string; message: string }[] {
  return Object.entries(fields).flatMap(([field, messages]) => messages.map((message) => ({ path: field, message })));
}

function expectedSuccess(c: Case, o: SuccessOutcome, status: number): Record<string, unknown> {
  const variant = c.options?.variant ?? 'panel';
  const slot = (d: unknown): unknown => (d === undefined ? null : wire(d));
  const out: Record<string, unknown> = { ok: true, kind: 'success', status };
  switch (c.preset) {
    case 'vbapi':
      out.data = slot(o.data);
      if (o.meta !== undefined) out.meta = wire(o.meta);
      break;
    case 'backendResponse':
    case 'wisphub':
      out.kind = o.kind;
      out.data = slot(o.data);
      out.action = o.action ?? o.kind;
      if (o.message !== undefined) out.message = o.message;
      if (o.meta !== undefined) out.meta = wire(o.meta);
      break;
    case 'wispanel':
      if (variant === 'license') out.data = spread(o.data, 'data');
      else if (variant === 'bare') out.data = o.data === undefined ? undefined : wire(o.data);
      else {
        out.data = slot(o.data);
        if (o.meta !== undefined) out.meta = wire(o.meta);
      }
      break;
    case 'webServiceReturn':
      out.data = spread(o.data, 'Data');
      if (o.message) out.message = o.message;
      break;
    case 'statusOk':
    case 'universa':
      out.data = spread(o.data, 'result');
      break;
    case 'jsend':
      out.data = slot(o.data);
      break;
    case 'problem':
      out.data = o.data === undefined ? undefined : wire(o.data);
      break;
  }
  return out;
}

function expectedFailure(c: Case, o: ErrorOutcome, status: number): Record<string, unknown> {
  const variant = c.options?.variant ?? 'panel';
  const issues = issuesText(o);
  const out: Record<string, unknown> = { ok: false, kind: 'error', status, issues: [] };
  switch (c.preset) {
    case 'vbapi':
      out.message = o.validation ? `Validation failed: ${issues}` : o.message;
      break;
    case 'backendResponse':
    case 'wisphub':
      out.message = o.validation ? `Error de validación: ${issues}` : o.message;
      out.action = o.action ?? 'error';
      break;
    case 'wispanel': {
      const code = o.code ?? (o.validation ? 'VALIDATION_ERROR' : wispanelCode(o.status));
      const fixed = { panel: 'Validation failed: ', lean: 'Validation failed: ', bare: 'Validation failed: ', portal: '', license: '' }[
        variant
      ];
      if (variant !== 'bare') out.code = code;
      if (variant === 'portal' || variant === 'license') {
        out.message = o.validation ? (variant === 'portal' ? 'Validation failed' : 'Invalid request data') : o.message;
        if (o.validation) out.issues = fieldIssues(issuesByField(o.details?.length ? o.details : [{ path: '', message: o.message }]));
      } else out.message = o.validation ? `${fixed}${issues}` : o.message;
      break;
    }
    case 'webServiceReturn': {
      out.code = o.code ?? (o.validation ? 'WSR-400' : `WSR-${o.status}`);
      out.message = o.validation ? issues : o.message;
      const data = extra(o.data, ['WebServiceReturn']);
      if (data) out.data = data;
      break;
    }
    case 'statusOk':
    case 'universa': {
      out.code = o.code ?? (o.validation ? 'validation_error' : lowerSnake(statusTitle(o.status)));
      out.message = o.validation ? `Validation failed: ${issues}` : o.message;
      const data = extra(o.data, ['status', 'code', 'text']);
      if (data) out.data = data;
      break;
    }
    case 'jsend':
      if (o.status >= 500) {
        out.message = o.message;
        if (o.code !== undefined) out.code = o.code;
      } else if (o.validation && o.details) {
        const fields = Object.entries(issuesByField(o.details)).map(([field, list]) => ({ path: field, message: list.join('; ') }));
        if (fields.length === 1 && fields[0].path === 'message') out.message = fields[0].message;
        else {
          out.issues = fields;
          out.message = fields.length > 0 ? joinIssues(fields) : 'Validation failed';
        }
      } else out.message = o.message;
      break;
    case 'problem': {
      out.message = o.validation ? issues : o.message;
      const code = o.code ?? o.type;
      if (code !== undefined) out.code = code;
      if (o.validation)
        out.issues = (o.details ?? [{ path: '', message: o.message }]).map(({ path: p, message }) => ({ path: p, message }));
      break;
    }
  }
  return out;
}

let cases = 0;
const tally: Record<string, number> = {};

afterAll(() => {
  console.log(
    `client law: ${cases} cases decoded (${Object.entries(tally)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ')})`,
  );
});

describe.each(CASES)('decodeText(render(o)) for $label', (c) => {
  const format = resolveFormat(c.preset, c.options ? { variant: c.options.variant } : {});
  const ctxBase = { instance: '/law', debug: false };

  test(`gives back ok, kind, status, message, code, issues, data and request id (${RUNS} outcomes)`, () => {
    fc.assert(
      fc.property(fc.oneof(success, failure) as fc.Arbitrary<Outcome>, request, (outcome, req) => {
        let rendered;
        try {
          rendered = format.render(outcome, { ...ctxBase, requestId: req.id });
        } catch (error) {
          // A success payload that uses a key the envelope owns is refused by the server itself.
          fc.pre((error as { code?: string }).code !== 'ERR_ENVELOPE_RESERVED_KEY');
          throw error;
        }
        const body = serialize(rendered.body);
        if (body !== '') assertSchema(format, outcome.kind === 'error' ? 'error' : 'success', JSON.parse(body));
        const headers: Record<string, string> = { ...rendered.headers };
        if (req.withHeader) headers['X-Request-Id'] = req.id;
        if (req.retryAfter !== undefined) headers['Retry-After'] = String(req.retryAfter);

        const decoded: Decoded = decodeText(c.preset, rendered.status, body, headers, c.options);

        const expected =
          outcome.kind === 'error' ? expectedFailure(c, outcome, rendered.status) : expectedSuccess(c, outcome, rendered.status);
        if (c.preset === 'vbapi' || req.withHeader) expected.requestId = req.id;
        if (outcome.kind === 'error' && req.retryAfter !== undefined) expected.retryAfter = req.retryAfter;
        if (expected.data === undefined && !('data' in expected && expected.ok)) delete expected.data;
        expect(decoded).toStrictEqual(expected);
        cases++;
        const kind = outcome.kind === 'error' ? (outcome.validation ? 'validation' : 'error') : outcome.kind;
        tally[kind] = (tally[kind] ?? 0) + 1;
      }),
      { numRuns: RUNS },
    );
  });
});

/** A custom format that declares its keys: defineFormat() derives its reader, and the same law holds. */
const mine = defineFormat({
  name: 'mine',
  render: (o, ctx) =>
    o.kind === 'error'
      ? {
          status: o.status,
          body: {
            ok: false,
            failed: o.message,
            code: o.code,
            problems: (o.details ?? []).map(({ path: p, message }) => ({ path: p, message })),
            result: o.data,
            id: ctx.requestId,
          },
        }
      : { status: o.status, body: { ok: true, result: o.data === undefined ? null : o.data, id: ctx.requestId } },
  schemas: () => ({ success: { type: 'object' }, error: { type: 'object' } }),
  keys: { success: ['ok', true], data: 'result', message: 'failed', code: 'code', issues: 'problems', requestId: 'id' },
});

/** The same format with a hand-written reader instead of keys. */
const handwritten = defineFormat({
  name: 'handwritten',
  render: mine.render,
  schemas: mine.schemas,
  read(raw, ctx) {
    const body = raw as { ok: boolean; failed: string; code?: string; problems: Issue[]; result?: unknown; id: string };
    if (body.ok) return { ok: true, kind: 'success', status: ctx.status, data: body.result, requestId: body.id };
    const failure: Decoded = {
      ok: false,
      kind: 'error',
      status: ctx.status,
      message: body.failed,
      issues: body.problems,
      requestId: body.id,
    };
    if (body.code !== undefined) failure.code = body.code;
    if (body.result !== undefined && body.result !== null) failure.data = body.result;
    return failure;
  },
});

describe.each([
  ['keys', mine],
  ['read', handwritten],
])('decodeText(render(o)) for a custom format with %s', (_label, format) => {
  test(`gives back ok, message, code, issues, data and request id (${RUNS} outcomes)`, () => {
    fc.assert(
      fc.property(fc.oneof(success, failure) as fc.Arbitrary<Outcome>, request, (outcome, req) => {
        const rendered = format.render(outcome, { instance: '/law', debug: false, requestId: req.id });
        const decoded = decodeText(format, rendered.status, serialize(rendered.body));
        const expected: Record<string, unknown> =
          outcome.kind === 'error'
            ? {
                ok: false,
                kind: 'error',
                status: outcome.status,
                message: outcome.message,
                issues: (outcome.details ?? []).map(({ path: p, message }) => ({ path: p, message })),
              }
            : { ok: true, kind: 'success', status: outcome.status, data: outcome.data === undefined ? null : wire(outcome.data) };
        if (outcome.kind === 'error' && outcome.code !== undefined) expected.code = outcome.code;
        if (outcome.kind === 'error' && outcome.data !== undefined && outcome.data !== null) expected.data = wire(outcome.data);
        expected.requestId = req.id;
        expect(decoded).toStrictEqual(expected);
      }),
      { numRuns: RUNS },
    );
  });
});
