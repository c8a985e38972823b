// openApiResponses(): the OpenAPI 3.1 Responses Object of one operation, worked out from the format.

import { promisesWindowHeader } from './window-header';
import { EnvelopeError } from './errors';
import type { ErrorOutcome, Format, JsonSchema, Outcome, RenderContext } from './outcome';
import { checkOptions } from './options';
import { type PresetName, type PresetOptions, presetOptionKeys, resolveFormat } from './registry';
import { statusTitle } from './status';

export interface OpenApiResponsesOptions {
  /**
   * JSON Schema of the success payload (what the handler passes to `res.json()` / `res.success()`),
   * e.g. from `z.toJSONSchema()`, or a `{ $ref: '#/components/schemas/…' }`. Its own `$schema` is
   * dropped: inside an OpenAPI 3.1 document every schema speaks the document's dialect.
   * Defaults to any JSON value.
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
  /** Media type → schema; absent for a status that carries no body (204, 304). */
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
};

const OWNER = 'openApiResponses()';
const DEFAULT_ERRORS: readonly number[] = [400, 404, 500];
const JSON_MEDIA_TYPE = 'application/json';
const NO_BODY = new Set([204, 304]);
/** The order of a `oneOf`: the success body first. */
const KINDS = ['success', 'error'] as const;

const STRING: JsonSchema = { type: 'string' };
const INTEGER: JsonSchema = { type: 'integer', minimum: 0 };

const REQUEST_ID: OpenApiHeader = {
  description: "The request's id (also in the body where the format has a slot for it, as vbapi's debug.activityId).",
  required: true,
  schema: STRING,
};

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
function probes(options: Required<OpenApiResponsesOptions>): Probe[] {
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
    list.push({ ...error(429, statusTitle(429), { hard: true, message: 'Too many requests, please try again later.' }), rateLimited: true });
  }
  return list;
}

function invalid(message: string): EnvelopeError {
  return new EnvelopeError('ERR_ENVELOPE_INVALID_OPTION', `${OWNER}: ${message}`);
}

function isSchema(value: unknown): value is JsonSchema {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function resolveOptions(options: OpenApiResponsesOptions): Required<OpenApiResponsesOptions> {
  const { data = {}, status = 200, errors = DEFAULT_ERRORS, validation = true, rateLimited = false } = options;
  if (!isSchema(data)) throw invalid('data must be a JSON Schema object');
  if (!Number.isInteger(status) || status < 200 || status > 399) throw invalid('status must be a success status (200..399)');
  if (!Array.isArray(errors) || !errors.every((s) => Number.isInteger(s) && s >= 400 && s <= 599)) {
    throw invalid('errors must be an array of error statuses (400..599)');
  }
  if (typeof validation !== 'boolean') throw invalid('validation must be a boolean');
  if (typeof rateLimited !== 'boolean') throw invalid('rateLimited must be a boolean');
  return { data, status, errors: [...new Set(errors)], validation, rateLimited };
}

/** The schema without its own `$schema`: embedded in a document, it speaks the document's dialect. */
function embedded(schema: JsonSchema): JsonSchema {
  if (!Object.prototype.hasOwnProperty.call(schema, '$schema')) return schema;
  const rest = { ...schema };
  delete rest.$schema;
  return rest;
}

function headerValue(headers: Record<string, string> | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
}

/** Renders a probe; formats are pure, so the answer is what the wire gets for that case. */
function render(format: Format, probe: Probe): { status: number; mediaType: string; headers: string[] } {
  let rendered;
  try {
    rendered = format.render(probe.outcome, PROBE_CONTEXT);
  } catch (cause) {
    throw new EnvelopeError('ERR_ENVELOPE_INVALID_FORMAT', `${OWNER}: format "${format.name}" threw while rendering the case "${probe.label}"`, { cause });
  }
  const status = rendered?.status;
  if (!Number.isInteger(status) || status < 100 || status > 599) {
    throw new EnvelopeError('ERR_ENVELOPE_INVALID_FORMAT', `${OWNER}: format "${format.name}" rendered the case "${probe.label}" with status ${String(status)}`);
  }
  const type = headerValue(rendered.headers, 'content-type');
  const headers = Object.keys(rendered.headers ?? {}).filter((name) => name.toLowerCase() !== 'content-type');
  return { status, mediaType: type === undefined ? JSON_MEDIA_TYPE : type.split(';')[0].trim().toLowerCase(), headers };
}

function describe(status: number, labels: string[]): string {
  const title = statusTitle(status);
  const others = labels.filter((label) => label !== title);
  if (others.length === 0) return title;
  // `Bad Request; also sent for: validation failed`, or `Unprocessable Entity: validation failed`.
  return others.length < labels.length ? `${title}; also sent for: ${others.join(', ')}` : `${title}: ${others.join(', ')}`;
}

/**
 * The OpenAPI 3.1 Responses Object of an operation answered in `format`, keyed by the statuses the
 * format really sends: each case (success, each error status, validation, malformed body, 429) is
 * rendered once by the format itself, and its schema, from the format's own `schemas()`, goes under
 * the status it is sent with. Where success and error bodies share a status (webServiceReturn,
 * statusOk), that entry is a `oneOf` of the two.
 *
 * @param format A preset name or alias, or a format from `defineFormat()`, as for envelope().
 * @param options `data`, `status`, `errors`, `validation`, `rateLimited`, plus the preset's own
 *   options (`variant` for `'wispanel'`).
 * @example
 * const doc = {
 *   openapi: '3.1.0',
 *   info: { title: 'Clients', version: '1.0.0' },
 *   paths: { '/clients/{id}': { get: { responses: openApiResponses('vbapi', { data: z.toJSONSchema(Client) }) } } },
 * };
 */
export function openApiResponses<P extends PresetName>(
  format: P,
  options?: OpenApiResponsesOptions & PresetOptions[P],
): OpenApiResponses;
export function openApiResponses(format: Format, options?: OpenApiResponsesOptions): OpenApiResponses;
export function openApiResponses(format: PresetName | Format, options: OpenApiResponsesOptions = {}): OpenApiResponses {
  checkOptions(OWNER, options, [...Object.keys(OWN_OPTIONS), ...presetOptionKeys(format)]);
  const { data, status, errors, validation, rateLimited, ...presetOptions } = options as OpenApiResponsesOptions &
    Record<string, unknown>;
  const resolved = resolveOptions({ data, status, errors, validation, rateLimited });
  const chosen = resolveFormat(format, presetOptions);
  const schemas = chosen.schemas(data === undefined ? undefined : embedded(data));

  const entries = new Map<number, Entry>();
  for (const probe of probes(resolved)) {
    const wire = render(chosen, probe);
    let entry = entries.get(wire.status);
    if (!entry) {
      entry = { labels: [], content: new Map(), headers: { 'X-Request-Id': { ...REQUEST_ID } }, retryAfter: false };
      entries.set(wire.status, entry);
    }
    if (!entry.labels.includes(probe.label)) entry.labels.push(probe.label);
    const kind = probe.outcome.kind === 'error' ? 'error' : 'success';
    const kinds = entry.content.get(wire.mediaType) ?? new Set();
    entry.content.set(wire.mediaType, kinds.add(kind));
    for (const name of wire.headers) {
      entry.headers[name] ??= { description: FORMAT_HEADERS[name] ?? `Set by the ${chosen.name} format.`, schema: STRING };
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
        const bodies = KINDS.filter((kind) => kinds.has(kind)).map((kind) => embedded(schemas[kind]));
        response.content[mediaType] = { schema: bodies.length === 1 ? bodies[0] : { oneOf: bodies } };
      }
    }
    responses[String(code)] = response;
  }
  return responses;
}
