// One reader per preset (and WisPanel variant): a body on the wire → what it means. Each reader
// checks the keys its envelope always writes and refuses a body without them.

import { EnvelopeDecodeError } from './errors';
import { headerOf } from './headers';
import type { Decoded, DecodedFailure, DecodedIssue, DecodedSuccess, HeaderSource } from './types';

type Body = Record<string, unknown>;

/** What a reader knows besides the body. */
export interface ReadContext {
  preset: string;
  status: number;
  headers: HeaderSource | undefined;
}

export type Reader = (body: unknown, ctx: ReadContext) => Decoded;

/** Refuses the body. Callers build the reason only once a check has failed: the success path stays cheap. */
function fail(ctx: ReadContext, reason: string): never {
  throw new EnvelopeDecodeError(ctx.preset, ctx.status, reason);
}

function isObject(value: unknown): value is Body {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The body as an object, or a refusal naming the keys it should have had. */
function object(ctx: ReadContext, body: unknown, keys: string): Body {
  if (!isObject(body)) fail(ctx, `expected an object with ${keys}, got ${describe(body)}`);
  return body;
}

function describe(value: unknown): string {
  // `undefined` is a key the body lacks, or no body at all (an empty text).
  return value === undefined ? 'nothing' : value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}

function text(ctx: ReadContext, body: Body, key: string): string {
  const value = body[key];
  if (typeof value !== 'string') fail(ctx, `"${key}" must be a string, got ${describe(value)}`);
  return value;
}

function optionalText(ctx: ReadContext, body: Body, key: string): string | undefined {
  return body[key] === undefined ? undefined : text(ctx, body, key);
}

function has(body: Body, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(body, key);
}

function success(status: number, data: unknown, kind: 'success' | 'info' = 'success'): DecodedSuccess {
  return { ok: true, kind, status, data };
}

function failure(status: number, message: string, code?: string, issues: DecodedIssue[] = []): DecodedFailure {
  const result: DecodedFailure = { ok: false, kind: 'error', status, message, issues };
  if (code !== undefined) result.code = code;
  return result;
}

function isEmpty(body: Body): boolean {
  return Object.keys(body).length === 0;
}

/** WisPanel's `details` (and jsend's fail data): `{ field: [messages] }` → one issue per message. */
function fieldIssues(ctx: ReadContext, fields: Body, key: string): DecodedIssue[] {
  const issues: DecodedIssue[] = [];
  for (const path of Object.keys(fields)) {
    const messages = fields[path];
    const list = typeof messages === 'string' ? [messages] : messages;
    if (!(Array.isArray(list) && list.every((m) => typeof m === 'string'))) fail(ctx, `"${key}.${path}" must be a string or a list of strings`);
    for (const message of list as string[]) issues.push({ path, message });
  }
  return issues;
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

const vbapi: Reader = (raw, ctx) => {
  const body = object(ctx, raw, 'data, error and debug');
  if (!(has(body, 'data') && has(body, 'error'))) fail(ctx, 'expected the keys data, error and debug');
  const debug = body.debug;
  if (!(isObject(debug) && typeof debug.activityId === 'string')) fail(ctx, '"debug.activityId" must be a string');
  let result: Decoded;
  if (body.error === null) {
    result = success(ctx.status, body.data);
    const pagination = headerOf(ctx.headers, 'X-Pagination', 'x-pagination');
    if (pagination !== undefined) {
      try {
        const meta: unknown = JSON.parse(pagination);
        if (isObject(meta)) result.meta = meta;
      } catch {
        // A header that is not JSON is no pagination; the body is still what it is.
      }
    }
  } else {
    const error = object(ctx, body.error, 'type, title, status, detail and instance');
    for (const key of ['type', 'title', 'instance']) optionalText(ctx, error, key);
    if (!(error.status === undefined || typeof error.status === 'number')) fail(ctx, '"error.status" must be a number');
    result = failure(ctx.status, text(ctx, error, 'detail'));
  }
  result.requestId = debug.activityId as string;
  return result;
};

const backendResponse: Reader = (raw, ctx) => {
  const body = object(ctx, raw, 'ok, type, action, data, message and meta');
  const { ok, type } = body;
  if (typeof ok !== 'boolean') fail(ctx, `"ok" must be a boolean, got ${describe(ok)}`);
  if (!(type === 'success' || type === 'info' || type === 'error')) fail(ctx, '"type" must be "success", "info" or "error"');
  if (ok !== (type !== 'error')) fail(ctx, `"ok" is ${ok} but "type" is "${type}"`);
  const action = text(ctx, body, 'action');
  if (!(body.message === null || typeof body.message === 'string')) fail(ctx, '"message" must be a string or null');
  if (!ok) {
    const result = failure(ctx.status, body.message as string);
    result.action = action;
    return result;
  }
  if (!has(body, 'data')) fail(ctx, 'expected the key data');
  if (!(body.meta === null || isObject(body.meta))) fail(ctx, '"meta" must be an object or null');
  const result = success(ctx.status, body.data, type as 'success' | 'info');
  result.action = action;
  if (body.message !== null) result.message = body.message as string;
  if (body.meta !== null) result.meta = body.meta as Body;
  return result;
};

/** A WisPanel `{ success: true, data, meta? }`. */
function panelSuccess(ctx: ReadContext, body: Body): DecodedSuccess {
  if (!has(body, 'data')) fail(ctx, 'expected the key data');
  const result = success(ctx.status, body.data);
  if (body.meta !== undefined) {
    if (!isObject(body.meta)) fail(ctx, '"meta" must be an object');
    result.meta = body.meta;
  }
  return result;
}

/** A WisPanel error with `error` and `code`, and the `details` field map where the variant has one. */
function panelFailure(ctx: ReadContext, body: Body, withDetails: boolean): DecodedFailure {
  const error = text(ctx, body, 'error');
  const result = failure(ctx.status, optionalText(ctx, body, 'message') ?? error, text(ctx, body, 'code'));
  if (withDetails && body.details !== undefined) {
    if (!isObject(body.details)) fail(ctx, '"details" must be an object');
    result.issues = fieldIssues(ctx, body.details, 'details');
  }
  return result;
}

function successFlag(ctx: ReadContext, raw: unknown, key: 'success' | 'valid', keys: string): Body {
  const body = object(ctx, raw, keys);
  if (typeof body[key] !== 'boolean') fail(ctx, `"${key}" must be a boolean, got ${describe(body[key])}`);
  return body;
}

const panel: Reader = (raw, ctx) => {
  const body = successFlag(ctx, raw, 'success', 'success, code, error, message and status');
  return body.success ? panelSuccess(ctx, body) : panelFailure(ctx, body, false);
};

const portal: Reader = (raw, ctx) => {
  const body = successFlag(ctx, raw, 'success', 'success, error and code');
  return body.success ? panelSuccess(ctx, body) : panelFailure(ctx, body, true);
};

const lean: Reader = (raw, ctx) => {
  const body = successFlag(ctx, raw, 'success', 'success, error and code');
  return body.success ? panelSuccess(ctx, body) : panelFailure(ctx, body, false);
};

/**
 * A spreading envelope: one key of its own first (`status`, `valid`, `WebServiceReturn`), the
 * payload's keys beside it. Its reader takes that key's value and the object of the other keys, so
 * decodeText() can cut the text in two and parse each part, instead of copying a parsed body.
 */
export interface Spread {
  key: string;
  /** `{"<key>":`, how the server's text opens. */
  open?: string;
  /** Texts of the key's value that the server writes most, and their values: no parse needed. */
  known?: Record<string, unknown>;
  /** `known` as `[open + text, value, end of the value]`, made once. */
  prefixes?: [string, unknown, number][];
  read(own: unknown, data: Body, ctx: ReadContext): Decoded;
}

/** The reader of a parsed body of a spreading envelope. */
function spreading(spread: Spread): Reader & { spread: Spread } {
  const reader = (raw: unknown, ctx: ReadContext): Decoded => {
    const body = object(ctx, raw, `the key ${spread.key}`);
    const { [spread.key]: own, ...data } = body;
    return spread.read(own, data, ctx);
  };
  const open = `{"${spread.key}":`;
  const prefixes = Object.entries(spread.known ?? {}).map(([text, value]): [string, unknown, number] => [open + text, value, open.length + text.length]);
  return Object.assign(reader, { spread: { ...spread, open, prefixes } });
}

const license = spreading({
  key: 'valid',
  known: { true: true },
  read(valid, data, ctx) {
    if (typeof valid !== 'boolean') fail(ctx, `"valid" must be a boolean, got ${describe(valid)}`);
    return valid ? success(ctx.status, data) : panelFailure(ctx, data, true);
  },
});

/** A body sent as it is on success; the error status alone says it is `{ error }`. */
function byStatus(read: (body: Body, ctx: ReadContext) => Decoded, keys: string): Reader {
  return (raw, ctx) => (ctx.status < 400 ? success(ctx.status, raw) : read(object(ctx, raw, keys), ctx));
}

const bare = byStatus((body, ctx) => failure(ctx.status, text(ctx, body, 'error')), 'error');

const WSR = 'WebServiceReturn';

const webServiceReturn = spreading({
  key: WSR,
  // Every success without a message opens so; the reader only reads this object.
  known: {
    '{"Status":"wrsSuccess","ErrorCode":"","Message":"","Actor":"","ReturnQuestion":null}': Object.freeze({
      Status: 'wrsSuccess',
      ErrorCode: '',
      Message: '',
      Actor: '',
      ReturnQuestion: null,
    }),
  },
  read(own, data, ctx) {
    const head = object(ctx, own, 'WebServiceReturn: Status, ErrorCode, Message, Actor and ReturnQuestion');
    const status = head.Status;
    if (!(status === 'wrsSuccess' || status === 'wrsFailed')) fail(ctx, '"WebServiceReturn.Status" must be "wrsSuccess" or "wrsFailed"');
    const code = text(ctx, head, 'ErrorCode');
    const message = text(ctx, head, 'Message');
    optionalText(ctx, head, 'Actor');
    if (status === 'wrsSuccess') {
      const result = success(ctx.status, data);
      if (message !== '') result.message = message;
      return result;
    }
    const result = failure(ctx.status, message, code);
    if (!isEmpty(data)) result.data = data;
    return result;
  },
});

const statusOk = spreading({
  key: 'status',
  known: { '"OK"': 'OK' },
  read(status, data, ctx) {
    if (status === 'OK') return success(ctx.status, data);
    if (status !== 'error') fail(ctx, '"status" must be "OK" or "error"');
    const { code, text: message, ...extra } = data;
    if (typeof message !== 'string') fail(ctx, `"text" must be a string, got ${describe(message)}`);
    if (typeof code !== 'string') fail(ctx, `"code" must be a string, got ${describe(code)}`);
    const result = failure(ctx.status, message, code);
    if (!isEmpty(extra)) result.data = extra;
    return result;
  },
});

const jsend: Reader = (raw, ctx) => {
  const body = object(ctx, raw, 'status and data');
  const { status, data } = body;
  if (!(status === 'success' || status === 'fail' || status === 'error')) fail(ctx, '"status" must be "success", "fail" or "error"');
  if (status === 'success') {
    if (!has(body, 'data')) fail(ctx, 'expected the key data');
    return success(ctx.status, data);
  }
  if (status === 'error') {
    const result = failure(ctx.status, text(ctx, body, 'message'), optionalText(ctx, body, 'code'));
    if (data !== undefined) result.data = data;
    return result;
  }
  if (!isObject(data)) fail(ctx, `"data" of a fail must be an object, got ${describe(data)}`);
  const keys = Object.keys(data);
  // `{ message }` alone is a failure's text; any other map is per-field messages.
  if (keys.length === 1 && keys[0] === 'message' && typeof data.message === 'string') return failure(ctx.status, data.message);
  const issues = fieldIssues(ctx, data, 'data');
  return failure(ctx.status, issues.length > 0 ? issues.map((i) => `${i.path}: ${i.message}`).join('; ') : 'Validation failed', undefined, issues);
};

const problem = byStatus((body, ctx) => {
  const detail = optionalText(ctx, body, 'detail');
  const title = optionalText(ctx, body, 'title');
  const type = optionalText(ctx, body, 'type');
  if (!(detail !== undefined || title !== undefined)) fail(ctx, 'expected a problem details object with "title" or "detail"');
  if (!(body.status === undefined || typeof body.status === 'number')) fail(ctx, '"status" must be a number');
  optionalText(ctx, body, 'instance');
  const code = optionalText(ctx, body, 'code') ?? (type !== undefined && type !== 'about:blank' ? type : undefined);
  const result = failure(ctx.status, (detail ?? title) as string, code);
  if (body.errors !== undefined) {
    if (!(Array.isArray(body.errors))) fail(ctx, '"errors" must be an array');
    result.issues = body.errors.map((item: unknown) => {
      const entry = object(ctx, item, 'detail and pointer');
      const pointer = optionalText(ctx, entry, 'pointer');
      let path = '';
      try {
        if (pointer !== undefined) path = pointerPath(pointer);
      } catch {
        fail(ctx, `"errors[].pointer" is not a valid URI fragment: ${pointer}`);
      }
      return { path, message: text(ctx, entry, 'detail') };
    });
  }
  return result;
}, 'type, title, status, detail and instance');

/** The readers by preset name and alias; WisPanel by variant. */
export const READERS: Readonly<Record<string, Reader & { spread?: Spread }>> = {
  vbapi,
  backendResponse,
  wisphub: backendResponse,
  webServiceReturn,
  statusOk,
  universa: statusOk,
  jsend,
  problem,
};

export const WISPANEL: Readonly<Record<string, Reader & { spread?: Spread }>> = { panel, portal, license, lean, bare };
