// openApiResponses(): the OpenAPI 3.1 Responses Object of one operation, worked out from the format.

import { type CatalogLike, catalogDescription } from './error-catalog';
import { promisesWindowHeader } from './window-header';
import { EnvelopeError } from './errors';
import type { ErrorOutcome, Format, JsonSchema, Outcome, RenderContext } from './outcome';
import { checkOptions } from './options';
import { type PresetName, type PresetOptions, presetOptionKeys, resolveFormat } from './registry';
import { DIALECT, embedded, titled, withComponents } from './schema';
import { statusTitle } from './status';

export interface OpenApiResponsesOptions {
  /**
   * JSON Schema of the success payload (what the handler passes to `res.json()` / `res.success()`),
   * e.g. from `z.toJSONSchema()`, or a `{ $ref: '#/components/schemas/…' }`. Its own `$schema` is
   * dropped: the response's schema carries the dialect. For the presets that put an object
   * payload's keys beside their own (statusOk, webServiceReturn, WisPanel license), a `$ref` needs
   * `components` too. Defaults to any JSON value.
   * @example openApiResponses('vbapi', { data: z.toJSONSchema(User) })
   */
  data?: JsonSchema;
  /**
   * The status the handler answers a success with. Defaults to `200`.
   * @example openApiResponses('vbapi', { status: 201 })
   */
  status?: number;
  /**
   * The error statuses the operation can end in (thrown, forwarded, or from `notFound()` and
   * body-parser). Defaults to `[400, 404, 500]`.
   * @example openApiResponses('wispanel', { errors: [401, 403, 404, 500] })
   */
  errors?: readonly number[];
  /**
   * Describes the format's validation failure, and a malformed JSON body, at the status the format
   * sends them with. Defaults to `true`.
   * @example openApiResponses('problem', { validation: false })
   */
  validation?: boolean;
  /**
   * Describes the refusal of `rateLimit()` (a 429 in the envelope, with its headers).
   * Defaults to `false`.
   * @example openApiResponses('jsend', { rateLimited: true })
   */
  rateLimited?: boolean;
  /**
   * The document's `components` (or its `components.schemas`), where a `$ref` in `data` points. Needed
   * only by the presets that put an object payload's keys beside their own (statusOk,
   * webServiceReturn, WisPanel license): they describe the body from the payload's schema, so they
   * must read it. Defaults to none.
   * @example openApiResponses('statusOk', { data: { $ref: '#/components/schemas/Client' }, components: document.components })
   */
  components?: Record<string, unknown>;
  /**
   * An error catalog (`defineErrors()`): its codes' statuses are described too, and each status's
   * code field (and `problem`'s `type`) is an `enum` of the codes sent with it. Defaults to none.
   * @example openApiResponses('problem', { catalog: errors })
   */
  catalog?: CatalogLike;
}

/** An OpenAPI 3.1 Header Object. */
export interface OpenApiHeader {
  description: string;
  required?: boolean;
  schema: JsonSchema;
}

/** An OpenAPI 3.1 Response Object, as openApiResponses() writes it. */
export interface OpenApiResponse {
  description: string;
  headers: Record<string, OpenApiHeader>;
  /** Media type → schema; absent for a status that carries no body (204, 205, 304). */
  content?: Record<string, { schema: JsonSchema }>;
}

/** An OpenAPI 3.1 Responses Object: status code (as a string) → response. */
export type OpenApiResponses = Record<string, OpenApiResponse>;

const OWN_OPTIONS: Record<keyof OpenApiResponsesOptions, true> = {
  data: true,
  status: true,
  errors: true,
  validation: true,
  rateLimited: true,
  components: true,
  catalog: true,
};

const OWNER = 'openApiResponses()';
const DEFAULT_ERRORS: readonly number[] = [400, 404, 500];
const JSON_MEDIA_TYPE = 'application/json';
/** Statuses sent without a body, whatever the handler passes: described without content. */
const NO_BODY = new Set([204, 205, 304]);
/** The order of a `oneOf`: the success body first. */
const KINDS = ['success', 'error'] as const;

const STRING: JsonSchema = { type: 'string' };
const INTEGER: JsonSchema = { type: 'integer', minimum: 0 };

/** Where a preset's body carries the request id too. */
const ID_IN_BODY: Readonly<Record<string, string>> = { vbapi: 'debug.activityId' };

/** `X-Request-Id`, described for the format that answers. */
function requestIdHeader(format: string): OpenApiHeader {
  const inBody = Object.prototype.hasOwnProperty.call(ID_IN_BODY, format) ? ID_IN_BODY[format] : undefined;
  return {
    description:
      inBody === undefined
        ? "The request's id, to quote when reporting a problem."
        : `The request's id, to quote when reporting a problem; the body carries it too, as ${inBody}.`,
    required: true,
    schema: STRING,
  };
}

/** Headers the preset formats set themselves; any other a custom format sets gets a plain description. */
const FORMAT_HEADERS: Readonly<Record<string, string>> = {
  'X-Pagination': 'The pagination meta, as JSON text; sent when the response has meta.',
};

/** What rateLimit() (express-rate-limit's legacy headers, plus the window where the format promises it) sets on every response it counts. */
const RATE_LIMIT_HEADERS: Readonly<Record<string, OpenApiHeader>> = {
  'X-RateLimit-Limit': { description: 'Requests allowed in the window.', schema: INTEGER },
  'X-RateLimit-Remaining': { description: 'Requests left in the current window.', schema: INTEGER },
  'X-RateLimit-Reset': { description: 'When the window resets, in seconds since the Unix epoch.', schema: INTEGER },
  'X-RateLimit-Window': { description: 'The length of the window, in seconds.', schema: INTEGER },
};

const RETRY_AFTER: OpenApiHeader = { description: 'Seconds to wait before trying again.', schema: INTEGER };

/** One case the operation can end in, rendered once to learn its wire status, type and headers. */
interface Probe {
  /** How the case reads in the description. */
  label: string;
  outcome: Outcome;
  rateLimited?: boolean;
}

interface Entry {
  labels: string[];
  /** Media type → the kinds of body sent with it. */
  content: Map<string, Set<'success' | 'error'>>;
  headers: Record<string, OpenApiHeader>;
  /** The 429 of rateLimit() is sent with this status. */
  retryAfter: boolean;
}

const PROBE_CONTEXT: RenderContext = { requestId: '00000000-0000-4000-8000-000000000000', instance: '/', debug: false };

function error(status: number, label: string, fields: Partial<ErrorOutcome> = {}): Probe {
  return {
    label,
    outcome: { kind: 'error', status, message: statusTitle(status), hard: status >= 500, validation: false, ...fields },
  };
}

/** The cases to describe, in the order their labels read. */
function probes(options: Resolved): Probe[] {
  const list: Probe[] = [
    { label: statusTitle(options.status), outcome: { kind: 'success', status: options.status, data: {}, meta: {} } },
    { label: statusTitle(options.status), outcome: { kind: 'info', status: options.status, data: {} } },
  ];
  for (const status of options.errors) {
    // A 4xx may be a handler's own (soft) error or a hard one (notFound(), body-parser): formats
    // such as statusOk answer the two on different statuses. Every 5xx is hard.
    if (status < 500) list.push(error(status, statusTitle(status)));
    list.push(error(status, statusTitle(status), { hard: true }));
  }
  if (options.validation) {
    // Adapters report 400 unless the library says otherwise; most formats put their own status.
    const issue = { path: 'field', message: 'is required' };
    list.push(error(400, 'validation failed', { message: 'field: is required', details: [issue], validation: true }));
    const malformed = { path: '', message: 'Malformed request body' };
    list.push(error(400, 'malformed request body', { message: malformed.message, details: [malformed], hard: true, validation: true }));
  }
  if (options.rateLimited) {
    // rateLimit()'s refusal: a hard 429 (middleware/rate-limit.ts), here with its default message.
    list.push({
      ...error(429, statusTitle(429), { hard: true, message: 'Too many requests, please try again later.' }),
      rateLimited: true,
    });
  }
  return list;
}

function invalid(message: string, cause?: unknown): EnvelopeError {
  return new EnvelopeError('ERR_ENVELOPE_INVALID_OPTION', `${OWNER}: ${message}`, cause === undefined ? undefined : { cause });
}

function isSchema(value: unknown): value is JsonSchema {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A copy of a JSON value, or `undefined` when it is not JSON (a cycle, a throwing getter, a BigInt). */
function jsonCopy(value: unknown): JsonSchema | undefined {
  try {
    return JSON.parse(JSON.stringify(value)) as JsonSchema;
  } catch {
    return undefined;
  }
}

/** The options, checked; `components` as the schemas a `$ref` points into. */
type Resolved = Required<Omit<OpenApiResponsesOptions, 'components' | 'catalog'>> & { components?: Record<string, unknown> };

function resolveOptions(options: OpenApiResponsesOptions): Resolved {
  const { data = {}, status = 200, errors = DEFAULT_ERRORS, validation = true, rateLimited = false, components } = options;
  // Copied as JSON once: a schema is data, and what is described must not change under it (or throw later).
  const schema = isSchema(data) ? jsonCopy(data) : undefined;
  if (!isSchema(schema)) throw invalid('data must be a JSON Schema object (plain JSON: no cycles, getters that throw or BigInts)');
  if ('$ref' in schema && typeof schema.$ref !== 'string') throw invalid('data.$ref must be a string');
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 200 || status > 399)
    throw invalid('status must be a success status (200..399)');
  let list: number[];
  try {
    list = Array.isArray(errors) ? Array.from(errors as unknown[], (s) => s as number) : [];
  } catch (cause) {
    throw invalid('errors must be an array of error statuses (400..599)', cause);
  }
  if (!Array.isArray(errors) || !list.every((s) => typeof s === 'number' && Number.isInteger(s) && s >= 400 && s <= 599)) {
    throw invalid('errors must be an array of error statuses (400..599)');
  }
  if (typeof validation !== 'boolean') throw invalid('validation must be a boolean');
  if (typeof rateLimited !== 'boolean') throw invalid('rateLimited must be a boolean');
  let schemas: Record<string, unknown> | undefined;
  if (components !== undefined) {
    const copy = isSchema(components) ? jsonCopy(components) : undefined;
    if (!isSchema(copy)) throw invalid("components must be the document's components object (plain JSON)");
    // The document's `components`, or its `components.schemas` itself.
    schemas = isSchema(copy.schemas) ? copy.schemas : copy;
  }
  return { data: schema, status, errors: [...new Set(list)], validation, rateLimited, components: schemas };
}

function headerValue(headers: Record<string, unknown>, name: string): unknown {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
}

function brokenFormat(format: Format, message: string, cause?: unknown): EnvelopeError {
  return new EnvelopeError(
    'ERR_ENVELOPE_INVALID_FORMAT',
    `${OWNER}: format "${String(format.name)}" ${message}`,
    cause === undefined ? undefined : { cause },
  );
}

/** Renders a probe; formats are pure, so the answer is what the wire gets for that case. */
function render(format: Format, probe: Probe): { status: number; mediaType: string; headers: string[]; body: unknown } {
  let rendered: unknown;
  try {
    rendered = format.render(probe.outcome, PROBE_CONTEXT);
  } catch (cause) {
    throw brokenFormat(format, `threw while rendering the case "${probe.label}"`, cause);
  }
  const status = isSchema(rendered) ? rendered.status : undefined;
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599) {
    throw brokenFormat(format, `rendered the case "${probe.label}" with status ${String(status)}`);
  }
  const headers = (rendered as { headers?: unknown }).headers ?? {};
  if (!isSchema(headers) || !Object.values(headers).every((v) => typeof v === 'string')) {
    throw brokenFormat(format, `rendered the case "${probe.label}" with headers that are not an object of strings`);
  }
  const type = headerValue(headers, 'content-type') as string | undefined;
  const names = Object.keys(headers).filter((name) => name.toLowerCase() !== 'content-type');
  return {
    status,
    mediaType: type === undefined ? JSON_MEDIA_TYPE : type.split(';')[0].trim().toLowerCase(),
    headers: names,
    body: (rendered as { body?: unknown }).body,
  };
}

/** The format's schemas for this payload, checked: a custom format's mistake shows here, at start-up. */
function schemasOf(
  format: Format,
  data: JsonSchema | undefined,
  components: Record<string, unknown> | undefined,
): { success: JsonSchema; error: JsonSchema } {
  let schemas: unknown;
  try {
    schemas = withComponents(components, () => format.schemas(data));
  } catch (cause) {
    if (cause instanceof EnvelopeError) throw cause;
    throw brokenFormat(format, 'threw in schemas()', cause);
  }
  const copy = isSchema(schemas) ? jsonCopy(schemas) : undefined;
  if (!copy || !KINDS.every((kind) => isSchema(copy[kind]) || typeof copy[kind] === 'boolean')) {
    throw brokenFormat(format, 'must return { success, error } JSON Schemas from schemas()');
  }
  const schema = (value: unknown): JsonSchema => (typeof value === 'boolean' ? (value ? {} : { not: {} }) : (value as JsonSchema));
  return { success: schema(copy.success), error: schema(copy.error) };
}

function describe(status: number, labels: string[]): string {
  const title = statusTitle(status);
  const others = labels.filter((label) => label !== title);
  if (others.length === 0) return title;
  // `Bad Request; also sent for: validation failed`, or `Unprocessable Entity: validation failed`.
  return others.length < labels.length ? `${title}; also sent for: ${others.join(', ')}` : `${title}: ${others.join(', ')}`;
}

/** A response's schema: one body, or a `oneOf` of titled ones; the dialect on top, for validators that read it. */
function bodySchema(bodies: { kind: (typeof KINDS)[number]; schema: JsonSchema }[]): JsonSchema {
  if (bodies.length === 1) return { $schema: DIALECT, ...embedded(bodies[0].schema) };
  return { $schema: DIALECT, oneOf: bodies.map(({ kind, schema }) => titled(kind, embedded(schema))) };
}

/**
 * The OpenAPI 3.1 Responses Object of an operation answered in `format`, keyed by the statuses the
 * format really sends: each case (success, each error status, validation, malformed body, 429) is
 * rendered once by the format itself, and its schema, from the format's own `schemas()`, goes under
 * the status it is sent with. Where success and error bodies share a status (webServiceReturn,
 * statusOk), that entry is a `oneOf` of the two, titled `success` and `error`. A 204, 205 or 304
 * success is declared without content.
 *
 * @param format A preset name or alias, or a format from `defineFormat()`, as for envelope().
 * @param options `data`, `status`, `errors`, `validation`, `rateLimited`, `components`, plus the
 *   preset's own options (`variant` for `'wispanel'`).
 * @example
 * const doc = {
 *   openapi: '3.1.0',
 *   info: { title: 'Clients', version: '1.0.0' },
 *   paths: { '/clients/{id}': { get: { responses: openApiResponses('vbapi', { data: z.toJSONSchema(Client) }) } } },
 * };
 */
export function openApiResponses<P extends PresetName>(format: P, options?: OpenApiResponsesOptions & PresetOptions[P]): OpenApiResponses;
export function openApiResponses(format: Format, options?: OpenApiResponsesOptions): OpenApiResponses;
export function openApiResponses(format: PresetName | Format, options: OpenApiResponsesOptions = {}): OpenApiResponses {
  checkOptions(OWNER, options, [...Object.keys(OWN_OPTIONS), ...presetOptionKeys(format)]);
  const { data, status, errors, validation, rateLimited, components, catalog, ...presetOptions } = options as OpenApiResponsesOptions &
    Record<string, unknown>;
  const resolved = resolveOptions({ data, status, errors, validation, rateLimited, components });
  const codes = catalog === undefined ? undefined : catalogDescription(OWNER, catalog);
  const chosen = resolveFormat(format, presetOptions);
  const schemas = schemasOf(chosen, data === undefined ? undefined : embedded(resolved.data), resolved.components);
  const formatName = typeof chosen.name === 'string' ? chosen.name : '';

  const entries = new Map<number, Entry>();
  const entryOf = (code: number): Entry => {
    let entry = entries.get(code);
    if (!entry) {
      entry = { labels: [], content: new Map(), headers: { 'X-Request-Id': requestIdHeader(formatName) }, retryAfter: false };
      entries.set(code, entry);
    }
    return entry;
  };
  // A success status without a body: res.status(204).json(…), res.sendStatus(204) and res.end() go
  // out as they are, whatever the format (a format may still render res.success() on another status).
  if (NO_BODY.has(resolved.status)) entryOf(resolved.status).labels.push(statusTitle(resolved.status));
  for (const probe of [...probes(resolved), ...(codes?.probes() ?? [])] as Probe[]) {
    const wire = render(chosen, probe);
    if (probe.outcome.kind === 'error') codes?.seen(wire.status, probe.outcome, wire.body);
    const entry = entryOf(wire.status);
    if (!entry.labels.includes(probe.label)) entry.labels.push(probe.label);
    const kind = probe.outcome.kind === 'error' ? 'error' : 'success';
    const kinds = entry.content.get(wire.mediaType) ?? new Set();
    entry.content.set(wire.mediaType, kinds.add(kind));
    for (const name of wire.headers) {
      entry.headers[name] ??= { description: FORMAT_HEADERS[name] ?? `Set by the ${formatName} format.`, schema: STRING };
    }
    if (probe.rateLimited) entry.retryAfter = true;
  }

  const rateLimitHeaders = { ...RATE_LIMIT_HEADERS };
  if (!promisesWindowHeader(chosen)) delete rateLimitHeaders['X-RateLimit-Window'];
  const responses: OpenApiResponses = {};
  for (const code of [...entries.keys()].sort((a, b) => a - b)) {
    const entry = entries.get(code) as Entry;
    // rateLimit() sets its counters on every response it lets through, not only on the refusal.
    const headers = resolved.rateLimited ? { ...entry.headers, ...rateLimitHeaders } : entry.headers;
    if (entry.retryAfter) headers['Retry-After'] = RETRY_AFTER;
    const response: OpenApiResponse = { description: describe(code, entry.labels), headers };
    if (!NO_BODY.has(code)) {
      response.content = {};
      for (const [mediaType, kinds] of entry.content) {
        response.content[mediaType] = {
          schema: bodySchema(
            KINDS.filter((kind) => kinds.has(kind)).map((kind) => ({
              kind,
              schema: kind === 'error' && codes ? codes.narrow(code, schemas.error) : schemas[kind],
            })),
          ),
        };
      }
    }
    responses[String(code)] = response;
  }
  return responses;
}
