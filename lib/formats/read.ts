// Reading a body back: the shapes a reader answers and the checks every preset's reader is built
// from. No Node module and no server code, so the client bundles the readers from the formats.

/** One validation problem the body keeps apart: a dotted path (`items.0.id`) and its message. */
export interface ReadIssue {
  path: string;
  message: string;
}

/** A body the envelope calls a success. */
export interface ReadSuccess {
  ok: true;
  kind: 'success' | 'info';
  status: number;
  data: unknown;
  requestId?: string;
  meta?: Record<string, unknown>;
  action?: string;
  message?: string;
}

/** A body the envelope calls a failure, whatever its HTTP status. */
export interface ReadFailure {
  ok: false;
  kind: 'error';
  status: number;
  code?: string;
  message: string;
  issues: ReadIssue[];
  requestId?: string;
  data?: unknown;
  action?: string;
}

/** What a reader makes of a body. */
export type Reading = ReadSuccess | ReadFailure;

/** What a reader knows besides the body. */
export interface ReadContext {
  /** The HTTP status. */
  status: number;
  /** A response header, whatever its letter case; `undefined` when absent. */
  header(name: string): string | undefined;
}

/**
 * A body on the wire → what it means. It checks the keys its envelope always writes and refuses a
 * body without them by throwing `BodyMismatch` (through `fail()`), never by answering a success.
 */
export type Reader = (body: unknown, ctx: ReadContext) => Reading;

/** What the client decodes with: a name for its errors, and the reader. */
export interface ReadingFormat {
  name: string;
  read: Reader;
}

/**
 * A preset's reading format under the name it is registered by. A reader per variant (WisPanel's)
 * gives one reading format per variant: the first is the default and has the preset's own name,
 * the others `<name>:<variant>`.
 */
export function reading(name: string, reader: Reader): ReadingFormat;
export function reading<V extends string>(name: string, readers: Readonly<Record<V, Reader>>): Readonly<Record<V, ReadingFormat>>;
export function reading(name: string, reader: Reader | Readonly<Record<string, Reader>>): ReadingFormat | Record<string, ReadingFormat> {
  if (typeof reader === 'function') return { name, read: reader };
  const out: Record<string, ReadingFormat> = {};
  Object.keys(reader).forEach((variant, i) => {
    out[variant] = { name: i === 0 ? name : `${name}:${variant}`, read: reader[variant] };
  });
  return out;
}

/**
 * A spreading envelope: one key of its own first (`status`, `valid`, `WebServiceReturn`), the
 * payload's keys beside it, or a payload that is not an object under `slot`. Its reader takes that
 * key's value and the object of the other keys, so a text can be cut in two and each part parsed on
 * its own instead of copying a parsed body.
 */
export interface Spread {
  key: string;
  /** Where a payload that is not a plain object sits (`result`, `Data`, `data`). */
  slot: string;
  /** Texts of the key's value that the server writes most, and their values: no parse needed. */
  known?: Record<string, unknown>;
  read(own: unknown, data: Record<string, unknown>, ctx: ReadContext): Reading;
}

/** A reader of a spreading envelope, with what its text looks like. */
export type SpreadReader = Reader & { spread: Spread & { open: string; prefixes: [string, unknown, number][] } };

/** Why a body does not fit: thrown by readers, turned into the client's `EnvelopeDecodeError`. */
export class BodyMismatch extends Error {
  declare readonly reason: string;

  constructor(reason: string) {
    super(reason);
    this.name = 'BodyMismatch';
    this.reason = reason;
  }
}

export type Body = Record<string, unknown>;

/** Refuses the body. Callers build the reason only once a check has failed: the success path stays cheap. */
export function fail(reason: string): never {
  throw new BodyMismatch(reason);
}

export function isObject(value: unknown): value is Body {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function describe(value: unknown): string {
  // `undefined` is a key the body lacks, or no body at all (an empty text).
  return value === undefined ? 'nothing' : value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}

/** The body as an object, or a refusal naming the keys it should have had. */
export function asObject(body: unknown, keys: string): Body {
  if (!isObject(body)) fail(`expected an object with ${keys}, got ${describe(body)}`);
  return body;
}

export function text(body: Body, key: string): string {
  const value = body[key];
  if (typeof value !== 'string') fail(`"${key}" must be a string, got ${describe(value)}`);
  return value;
}

export function optionalText(body: Body, key: string): string | undefined {
  return body[key] === undefined ? undefined : text(body, key);
}

export function has(body: Body, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(body, key);
}

export function isEmpty(body: Body): boolean {
  return Object.keys(body).length === 0;
}

export function success(status: number, data: unknown, kind: 'success' | 'info' = 'success'): ReadSuccess {
  return { ok: true, kind, status, data };
}

export function failure(status: number, message: string, code?: string, issues: ReadIssue[] = []): ReadFailure {
  const result: ReadFailure = { ok: false, kind: 'error', status, message, issues };
  if (code !== undefined) result.code = code;
  return result;
}

/** A field map (WisPanel's `details`, jsend's fail data): `{ field: [messages] }` → one issue per message. */
export function fieldIssues(fields: Body, key: string): ReadIssue[] {
  const issues: ReadIssue[] = [];
  for (const path of Object.keys(fields)) {
    const messages = fields[path];
    const list = typeof messages === 'string' ? [messages] : messages;
    if (!(Array.isArray(list) && list.every((m) => typeof m === 'string'))) fail(`"${key}.${path}" must be a string or a list of strings`);
    for (const message of list) issues.push({ path, message });
  }
  return issues;
}

/**
 * The payload of a spreading success: the keys beside the envelope's own, or, when the only one is
 * the slot and it holds no plain object, that value (an array or a scalar goes there on the wire).
 */
export function spreadData(data: Body, slot: string): unknown {
  if (!has(data, slot)) return data;
  const value = data[slot];
  if (isObject(value)) return data;
  for (const key in data) if (key !== slot) return data;
  return value;
}

/** The reader of a parsed body of a spreading envelope, and what its text opens with. */
export function spreadReader(spread: Spread): SpreadReader {
  const reader = (raw: unknown, ctx: ReadContext): Reading => {
    const body = asObject(raw, `the key ${spread.key}`);
    const { [spread.key]: own, ...data } = body;
    return spread.read(own, data, ctx);
  };
  const open = `{"${spread.key}":`;
  const prefixes = Object.entries(spread.known ?? {}).map(([text, value]): [string, unknown, number] => [
    open + text,
    value,
    open.length + text.length,
  ]);
  return Object.assign(reader, { spread: { ...spread, open, prefixes } });
}

/** A body sent as it is on success; an error status says it is an error object. */
export function byStatus(read: (body: Body, ctx: ReadContext) => Reading, keys: string): Reader {
  return (raw, ctx) => (ctx.status < 400 ? success(ctx.status, raw) : read(asObject(raw, keys), ctx));
}

/** `#/items/0/id` (or `/items/0/id`) → `items.0.id`; `#/` is the body as a whole, the empty path. */
export function pointerPath(pointer: string): string {
  // A URI fragment is percent-encoded; decodeURIComponent throws URIError on a bad escape.
  let path = pointer.startsWith('#') ? decodeURIComponent(pointer.slice(1)) : pointer;
  if (path.startsWith('/')) path = path.slice(1);
  return path
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .join('.');
}

/**
 * Where a custom format keeps each part of its bodies (`defineFormat({ …, keys })`), so a reader can
 * be derived: every key names a top-level key of the body.
 */
export interface FormatKeys {
  /**
   * The key that tells a success from a failure, and its value on a success (`['ok', true]`).
   * Without it the HTTP status tells: below 400 a success.
   */
  success?: readonly [key: string, value: string | number | boolean | null];
  /** The success payload (and, on a failure, the data the error exposes). */
  data: string;
  /** A failure's text. */
  message: string;
  /** A failure's code. */
  code?: string;
  /** A failure's issues: a list of `{ path, message }`. */
  issues?: string;
  /** The request id, where the body has a slot for it. */
  requestId?: string;
}

const KEY_NAMES: Record<keyof FormatKeys, true> = { success: true, data: true, message: true, code: true, issues: true, requestId: true };

/** What is wrong with declared keys, or undefined. */
export function keysProblem(keys: unknown, name: string): string | undefined {
  if (!isObject(keys)) return `format "${name}": keys must be an object`;
  for (const key of Object.keys(keys)) {
    if (!has(KEY_NAMES, key)) return `format "${name}": unknown key "${key}" in keys; known are ${Object.keys(KEY_NAMES).join(', ')}`;
    const value = keys[key];
    if (value === undefined) continue;
    if (key === 'success') {
      if (!(
        Array.isArray(value) &&
        value.length === 2 &&
        typeof value[0] === 'string' &&
        (value[1] === null || ['string', 'number', 'boolean'].includes(typeof value[1]))
      )) {
        return `format "${name}": keys.success must be [key, value on a success]`;
      }
    } else if (typeof value !== 'string' || value === '') return `format "${name}": keys.${key} must be a non-empty string`;
  }
  if (keys.data === undefined || keys.message === undefined) return `format "${name}": keys needs data and message`;
  return undefined;
}

/** The reader of a format that declares its keys. */
export function readerFromKeys(keys: FormatKeys): Reader {
  const flag = keys.success;
  const expected = flag ? `${flag[0]}, ${keys.data} and ${keys.message}` : `${keys.data} or ${keys.message}`;
  return (raw, ctx) => {
    const body = asObject(raw, expected);
    const ok = flag ? body[flag[0]] === flag[1] : ctx.status < 400;
    let result: Reading;
    if (ok) {
      if (!has(body, keys.data)) fail(`expected the key ${keys.data}`);
      result = success(ctx.status, body[keys.data]);
    } else {
      const code = keys.code === undefined ? undefined : optionalText(body, keys.code);
      const failed = failure(ctx.status, text(body, keys.message), code);
      if (keys.issues !== undefined && body[keys.issues] !== undefined) {
        const list = body[keys.issues];
        if (!Array.isArray(list)) fail(`"${keys.issues}" must be an array`);
        failed.issues = list.map((item: unknown) => {
          const entry = asObject(item, 'path and message');
          return { path: text(entry, 'path'), message: text(entry, 'message') };
        });
      }
      if (body[keys.data] !== undefined && body[keys.data] !== null) failed.data = body[keys.data];
      result = failed;
    }
    if (keys.requestId !== undefined) {
      const id = optionalText(body, keys.requestId);
      if (id !== undefined) result.requestId = id;
    }
    return result;
  };
}
