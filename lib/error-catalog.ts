// defineErrors(): an application's error codes in one place — the throw site, the texts in each
// language, the OpenAPI enum, the reference page and the client's code type all read it.

import createHttpError from 'http-errors';
import { EnvelopeError } from './errors';
import type { ErrorOutcome, JsonSchema } from './outcome';
import { statusTitle } from './status';

/** A code's text: one string, or one per language (`{ en: '…', es: '…', pt: '…' }`). */
export type CatalogMessage = string | Readonly<Record<string, string>>;

/** One code of the catalog. */
export interface ErrorDefinition {
  /** The HTTP status it is answered with (400–599); 5xx texts are not shown to clients. */
  readonly status: number;
  /** What the client reads; per language where `locales` are used. The `en` text (else the first) is the error's own message. */
  readonly message: CatalogMessage;
  /** An absolute URI naming the kind of problem: `problem`'s `type`. Defaults to none (`about:blank`). */
  readonly type?: string;
  /** Whether a client may send the same request again after this error (read by the client's retry policy). */
  readonly retryable?: boolean;
  /** Where the code is documented (a URL), for the reference page. */
  readonly docs?: string;
}

/** The definitions given to `defineErrors()`: code → definition. */
export type ErrorDefinitions = Readonly<Record<string, ErrorDefinition>>;

/** What a throw helper takes: a more precise text for this occurrence, or that and a `cause`. */
export type ErrorDetail = string | { readonly message?: string; readonly cause?: unknown };

/**
 * The error a throw helper makes: an http-error (from the http-errors package) with the code (and
 * `type`) of its definition; `expose` is true below 500.
 */
export interface CatalogError<K extends string> extends Error {
  status: number;
  statusCode: number;
  expose: boolean;
  code: K;
  type?: string;
}

/** Names a catalog keeps for itself; no code may take them. */
const RESERVED = ['codes', 'definitions', 'locales', 'message', 'translate'] as const;
type Reserved = (typeof RESERVED)[number];

/** The catalog `defineErrors()` returns: a throw helper per code, and what the rest of the package reads. */
export type ErrorCatalog<D extends ErrorDefinitions> = {
  readonly [K in keyof D & string]: (detail?: ErrorDetail) => CatalogError<K>;
} & {
  /** Every code, in the order defined. */
  readonly codes: readonly (keyof D & string)[];
  /** The definitions as given (frozen). */
  readonly definitions: D;
  /** The languages the texts come in, the default first: for `locales`. */
  readonly locales: readonly string[];
  /** A code's text in a language (the nearest one the catalog has), else in its default language. */
  message(code: keyof D & string, locale?: string): string;
  /**
   * A `translate` hook for `envelope()` / `errorHandler()`: an error with a catalog code whose text
   * is still the catalog's own is written in the request's language.
   */
  readonly translate: (outcome: ErrorOutcome, context: { locale: string }) => string | undefined;
};

const CODE = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$/;
const LANGUAGE_TAG = /^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*$/;
const ABSOLUTE_URI = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$/;
const own = (object: object, key: string): boolean => Object.prototype.hasOwnProperty.call(object, key);

function invalid(message: string): EnvelopeError {
  return new EnvelopeError('ERR_ENVELOPE_INVALID_CATALOG', `defineErrors(): ${message}`);
}

const DEFINITION_KEYS = ['status', 'message', 'type', 'retryable', 'docs'];

function checkDefinition(code: string, definition: unknown): void {
  if (!CODE.test(code)) throw invalid(`${JSON.stringify(code)} is not a code: use letters, digits and _ . : - (at most 100)`);
  if ((RESERVED as readonly string[]).includes(code))
    throw invalid(`"${code}" is a name the catalog keeps for itself; choose another code`);
  if (definition === null || typeof definition !== 'object' || Array.isArray(definition))
    throw invalid(`${code}: the definition must be an object { status, message }`);
  for (const key of Object.keys(definition)) {
    if (!DEFINITION_KEYS.includes(key)) throw invalid(`${code}: unknown key "${key}"; known keys are ${DEFINITION_KEYS.join(', ')}`);
  }
  const { status, message, type, retryable, docs } = definition as Record<string, unknown>;
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 400 || status > 599)
    throw invalid(`${code}: status must be an error status (400..599)`);
  if (typeof message === 'string') {
    if (message === '') throw invalid(`${code}: message must not be empty`);
  } else if (message !== null && typeof message === 'object' && !Array.isArray(message)) {
    const entries = Object.entries(message);
    if (entries.length === 0) throw invalid(`${code}: message must hold at least one language`);
    for (const [locale, text] of entries) {
      if (!LANGUAGE_TAG.test(locale)) throw invalid(`${code}: ${JSON.stringify(locale)} in message is not a language tag`);
      if (typeof text !== 'string' || text === '') throw invalid(`${code}: message.${locale} must be a non-empty string`);
    }
  } else {
    throw invalid(`${code}: message must be a string or { en, es, … }`);
  }
  if (type !== undefined && (typeof type !== 'string' || !ABSOLUTE_URI.test(type))) throw invalid(`${code}: type must be an absolute URI`);
  if (retryable !== undefined && typeof retryable !== 'boolean') throw invalid(`${code}: retryable must be a boolean`);
  if (docs !== undefined && (typeof docs !== 'string' || !ABSOLUTE_URI.test(docs))) throw invalid(`${code}: docs must be an absolute URL`);
}

/** The language of a message's own text: `en` when it has one, else its first. */
function defaultLocale(message: CatalogMessage): string | undefined {
  if (typeof message === 'string') return undefined;
  return own(message, 'en') ? 'en' : Object.keys(message)[0];
}

/** The text for `locale`: the exact tag, else its primary language (`es-MX` → `es`), else the default. */
function textIn(message: CatalogMessage, locale: string | undefined): string {
  if (typeof message === 'string') return message;
  if (locale !== undefined) {
    const lower = locale.toLowerCase();
    const keys = Object.keys(message);
    const exact = keys.find((key) => key.toLowerCase() === lower) ?? keys.find((key) => key.toLowerCase() === lower.split('-')[0]);
    if (exact !== undefined) return message[exact];
  }
  return message[defaultLocale(message) as string];
}

/**
 * An application's error codes, defined once. Each code becomes a throw helper:
 * `throw errors.CARD_DECLINED()` makes an http-error with that status, code and message (5xx texts
 * are not shown, as for any error). The catalog also gives `locales` and a `translate` hook (its
 * texts in each language), feeds `openApiResponses(format, { catalog })` (an `enum` of the codes
 * each status carries), `errorCatalogMarkdown()` (a reference page) and the client (`catalog`
 * option: the code type and `retryable`).
 *
 * @example
 * const errors = defineErrors({
 *   CARD_DECLINED: { status: 402, message: { en: 'The card was declined', es: 'La tarjeta fue rechazada' } },
 *   LEDGER_BUSY: { status: 503, message: 'The ledger is busy', retryable: true },
 * });
 * throw errors.CARD_DECLINED();
 */
export function defineErrors<const D extends ErrorDefinitions & { readonly [K in Reserved]?: never }>(definitions: D): ErrorCatalog<D> {
  if (definitions === null || typeof definitions !== 'object' || Array.isArray(definitions))
    throw invalid('the definitions must be an object { CODE: { status, message } }');
  const codes = Object.keys(definitions);
  if (codes.length === 0) throw invalid('define at least one code');
  const frozen: Record<string, ErrorDefinition> = {};
  const languages: string[] = [];
  for (const code of codes) {
    const definition = (definitions as Record<string, unknown>)[code];
    checkDefinition(code, definition);
    const { message } = definition as ErrorDefinition;
    const copy = { ...(definition as ErrorDefinition), message: typeof message === 'string' ? message : Object.freeze({ ...message }) };
    frozen[code] = Object.freeze(copy);
    if (typeof message !== 'string') for (const locale of Object.keys(message)) if (!languages.includes(locale)) languages.push(locale);
  }
  const locales = languages.includes('en') ? ['en', ...languages.filter((locale) => locale !== 'en')] : languages;
  const message = (code: string, locale?: string): string => {
    if (!own(frozen, code))
      throw new EnvelopeError('ERR_ENVELOPE_INVALID_CATALOG', `defineErrors(): no code ${JSON.stringify(code)} in this catalog`);
    return textIn(frozen[code].message, locale);
  };
  const catalog: Record<string, unknown> = {
    codes: Object.freeze([...codes]),
    definitions: Object.freeze(frozen),
    locales: Object.freeze(locales),
    message,
    translate(outcome: ErrorOutcome, context: { locale: string }): string | undefined {
      const code = outcome?.code;
      if (typeof code !== 'string' || !own(frozen, code) || outcome.packageText !== undefined) return undefined;
      // A text given at the throw site is that occurrence's own: it stays as written.
      if (outcome.message !== textIn(frozen[code].message, undefined)) return undefined;
      const text = textIn(frozen[code].message, context?.locale);
      return text === outcome.message ? undefined : text;
    },
  };
  for (const code of codes) {
    const { status, type } = frozen[code];
    const ownText = textIn(frozen[code].message, undefined);
    // A named function per code, so stack traces say which helper made the error.
    catalog[code] = {
      [code](detail?: ErrorDetail): CatalogError<string> {
        const text = typeof detail === 'string' ? detail : detail?.message;
        const props: Record<string, unknown> = { code };
        if (type !== undefined) props.type = type;
        if (typeof detail === 'object' && detail !== null && detail.cause !== undefined) props.cause = detail.cause;
        return createHttpError(status, typeof text === 'string' && text !== '' ? text : ownText, props) as unknown as CatalogError<string>;
      },
    }[code];
  }
  return Object.freeze(catalog) as ErrorCatalog<D>;
}

/** What the rest of the package reads of a catalog (any catalog `defineErrors()` made). */
export interface CatalogLike {
  readonly codes: readonly string[];
  readonly definitions: ErrorDefinitions;
}

/** Checks that a value given as `catalog` is one `defineErrors()` made. */
export function checkCatalog(owner: string, catalog: unknown): CatalogLike {
  const { codes, definitions } = (catalog ?? {}) as Partial<CatalogLike>;
  if (catalog === null || typeof catalog !== 'object' || !Array.isArray(codes) || definitions === null || typeof definitions !== 'object') {
    throw new EnvelopeError('ERR_ENVELOPE_INVALID_OPTION', `${owner}: catalog must be a catalog made by defineErrors()`);
  }
  return catalog as CatalogLike;
}

const escapeCell = (text: string): string => text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

/**
 * The catalog as a Markdown reference page: one table row per code (status, text in each
 * language, `type`, whether it is retryable, its docs link). Generate the page from the catalog
 * (and test that the committed page equals it) so the two never drift.
 *
 * @example
 * writeFileSync('docs/errors.md', errorCatalogMarkdown(errors, { title: 'Payment errors' }));
 */
export function errorCatalogMarkdown(catalog: CatalogLike, options: { title?: string } = {}): string {
  const { codes, definitions } = checkCatalog('errorCatalogMarkdown()', catalog);
  if (options === null || typeof options !== 'object')
    throw new EnvelopeError('ERR_ENVELOPE_INVALID_OPTION', 'errorCatalogMarkdown(): options must be an object');
  for (const key of Object.keys(options)) {
    if (key !== 'title')
      throw new EnvelopeError('ERR_ENVELOPE_UNKNOWN_OPTION', `errorCatalogMarkdown(): unknown option "${key}"; known options are title`);
  }
  const title = options.title ?? 'Error codes';
  if (typeof title !== 'string') throw new EnvelopeError('ERR_ENVELOPE_INVALID_OPTION', 'errorCatalogMarkdown(): title must be a string');
  const languages = (catalog as { locales?: readonly string[] }).locales ?? [];
  const texts = languages.length === 0 ? ['Message'] : languages.map((locale) => `Message (${locale})`);
  const lines = [
    `# ${escapeCell(title)}`,
    '',
    'Generated from the error catalog: do not edit by hand.',
    '',
    `| Code | Status | ${texts.join(' | ')} | Type | Retryable | Docs |`,
    `| --- | --- | ${texts.map(() => '---').join(' | ')} | --- | --- | --- |`,
  ];
  for (const code of codes) {
    const { status, message, type, retryable, docs } = definitions[code];
    const cells =
      languages.length === 0
        ? [textIn(message, undefined)]
        : languages.map((locale) => (typeof message === 'string' || own(message, locale) ? textIn(message, locale) : '—'));
    lines.push(
      `| \`${code}\` | ${status} ${statusTitle(status)} | ${cells.map(escapeCell).join(' | ')} | ${type === undefined ? '—' : `\`${escapeCell(type)}\``} | ${retryable === undefined ? '—' : retryable ? 'yes' : 'no'} | ${docs === undefined ? '—' : `<${docs}>`} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** One error case openApiResponses() renders for a catalog code. */
export interface CatalogProbe {
  label: string;
  outcome: ErrorOutcome;
}

/** Where in a body `value` sits (a path of keys), looking a few levels deep. */
function pathOf(body: unknown, value: string, depth = 0): string[] | undefined {
  if (body === null || typeof body !== 'object' || Array.isArray(body) || depth > 3) return undefined;
  for (const [key, item] of Object.entries(body)) {
    if (item === value) return [key];
    const inner = pathOf(item, value, depth + 1);
    if (inner !== undefined) return [key, ...inner];
  }
  return undefined;
}

function valueAt(body: unknown, path: readonly string[]): unknown {
  let node = body;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** A copy of `schema` whose property at `path` is limited to `values`; the schema itself when the path is not there. */
function withEnum(schema: JsonSchema, path: readonly string[], values: readonly string[]): JsonSchema {
  const [key, ...rest] = path;
  const properties = schema.properties as Record<string, JsonSchema> | undefined;
  if (properties === undefined || properties === null || typeof properties !== 'object' || !own(properties, key)) return schema;
  const inner = rest.length === 0 ? { ...properties[key], enum: [...values] } : withEnum(properties[key], rest, values);
  return inner === properties[key] ? schema : { ...schema, properties: { ...properties, [key]: inner } };
}

/**
 * The catalog's part in openApiResponses(): the cases to render (one per code, so each code's
 * status is described), and, per wire status, the error schema with the code field (and `problem`'s `type`)
 * limited to what that status really carries: the catalog's codes sent with it and the package's
 * own defaults for it.
 */
export function catalogDescription(owner: string, catalog: unknown) {
  const { codes, definitions } = checkCatalog(owner, catalog);
  /** Wire status → the paths (as JSON) of the fields a catalog code or type sits in. */
  const fields = new Map<number, Set<string>>();
  /** Wire status → every error body rendered with it. */
  const bodies = new Map<number, unknown[]>();
  const probeCodes = new Map<ErrorOutcome, string[]>();
  return {
    probes(): CatalogProbe[] {
      return codes.map((code) => {
        const { status, type } = definitions[code];
        // A 5xx is not exposed: the wire has the status's generic text and no code, as for any error.
        if (status >= 500)
          return {
            label: code,
            outcome: { kind: 'error', status, message: statusTitle(status), hard: true, validation: false, packageText: 'generic' },
          };
        const outcome: ErrorOutcome = {
          kind: 'error',
          status,
          message: textIn(definitions[code].message, undefined),
          code,
          hard: false,
          validation: false,
        };
        if (type !== undefined) outcome.type = type;
        probeCodes.set(outcome, type === undefined ? [code] : [code, type]);
        return { label: code, outcome };
      });
    },
    /** Notes one rendered error body: where a catalog code (and type) sits in it. */
    seen(status: number, outcome: ErrorOutcome, body: unknown): void {
      const list = bodies.get(status) ?? [];
      list.push(body);
      bodies.set(status, list);
      for (const value of probeCodes.get(outcome) ?? []) {
        const path = pathOf(body, value);
        if (path === undefined) continue;
        fields.set(status, (fields.get(status) ?? new Set<string>()).add(JSON.stringify(path)));
      }
    },
    /** The error schema for a wire status, its code fields limited to the values sent with it. */
    narrow(status: number, schema: JsonSchema): JsonSchema {
      const paths = fields.get(status);
      if (paths === undefined) return schema;
      let narrowed = schema;
      for (const key of paths) {
        const path = JSON.parse(key) as string[];
        const values = new Set<string>();
        for (const body of bodies.get(status) ?? []) {
          const value = valueAt(body, path);
          if (typeof value === 'string') values.add(value);
        }
        narrowed = withEnum(narrowed, path, [...values].sort());
      }
      return narrowed;
    },
  };
}
