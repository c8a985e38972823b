// eData's WebServiceReturn: always HTTP 200 but for 5xx; the payload's keys sit beside the envelope.

import { type MessageOptions, resolveMessages } from './messages';
import type { Format, JsonSchema } from '../outcome';
import { appendPayload, spreadPayload } from '../payload';
import { ANY, STRING, constant, object, spreading, spreadingError } from '../schema';
import { type SpreadReader, fail, failure, isEmpty, asObject, optionalText, spreadData, spreadReader, success, text } from './read';
import type { Bodies, Examples, Typed } from '../outcome';
import type { Extra, Spread } from '../body-types';
import { registryEntry } from '../preset';

const KEY = 'WebServiceReturn';

function wireStatus(status: number): number {
  return status >= 500 ? 500 : 200;
}

const header = (status: 'wrsSuccess' | 'wrsFailed'): JsonSchema =>
  object({ Status: constant(status), ErrorCode: STRING, Message: STRING, Actor: STRING, ReturnQuestion: ANY });

export function webServiceReturn(options: MessageOptions = {}): Format & Typed<WebServiceReturnBodies> {
  const messages = resolveMessages('webServiceReturn', () => ({ validation: '{issues}' }), options);
  return {
    name: 'webServiceReturn',
    payload: 'spread',
    genericMessage: messages.genericMessage,
    read: webServiceReturnReader,
    render(result, ctx) {
      if (result.kind !== 'error') {
        const outcome = result;
        const envelope = {
          [KEY]: { Status: 'wrsSuccess', ErrorCode: '', Message: outcome.message ?? '', Actor: '', ReturnQuestion: null },
        };
        return { status: wireStatus(outcome.status), body: spreadPayload(envelope, outcome.data, 'Data', 'webServiceReturn') };
      }
      const outcome = messages.localize(result, ctx.locale);
      const validation = outcome.validation;
      const envelope = {
        [KEY]: {
          Status: 'wrsFailed',
          ErrorCode: outcome.code ?? (validation ? 'WSR-400' : `WSR-${outcome.status}`),
          Message: messages.text(outcome, ctx.locale),
          Actor: outcome.actor ?? '',
          ReturnQuestion: outcome.returnQuestion === undefined ? null : outcome.returnQuestion,
        },
      };
      return { status: wireStatus(outcome.status), body: appendPayload(envelope, outcome.data) };
    },
    schemas(data?: JsonSchema) {
      return {
        success: spreading({ [KEY]: header('wrsSuccess') }, [KEY], data, { format: 'webServiceReturn', slot: 'Data' }),
        error: spreadingError({ [KEY]: header('wrsFailed') }),
      };
    },
  };
}

/** Reads a WebServiceReturn: `wrsSuccess` or `wrsFailed` says which, whatever the HTTP status. */
export const webServiceReturnReader: SpreadReader = spreadReader({
  key: KEY,
  slot: 'Data',
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
    const head = asObject(own, 'WebServiceReturn: Status, ErrorCode, Message, Actor and ReturnQuestion');
    const status = head.Status;
    if (!(status === 'wrsSuccess' || status === 'wrsFailed')) fail('"WebServiceReturn.Status" must be "wrsSuccess" or "wrsFailed"');
    const code = text(head, 'ErrorCode');
    const message = text(head, 'Message');
    optionalText(head, 'Actor');
    if (status === 'wrsSuccess') {
      const result = success(ctx.status, spreadData(data, 'Data'));
      if (message !== '') result.message = message;
      return result;
    }
    const result = failure(ctx.status, message, code);
    if (!isEmpty(data)) result.data = data;
    return result;
  },
});

interface WebServiceReturnHeader<S extends 'wrsSuccess' | 'wrsFailed'> {
  Status: S;
  ErrorCode: string;
  Message: string;
  Actor: string;
  ReturnQuestion: unknown;
}

/** WebServiceReturn's bodies as types: a plain-object payload spreads, any other goes under `Data`. */
export interface WebServiceReturnBodies extends Bodies {
  success: Spread<{ WebServiceReturn: WebServiceReturnHeader<'wrsSuccess'> }, this['payload'], 'Data'>;
  error: Extra & { WebServiceReturn: WebServiceReturnHeader<'wrsFailed'> };
}

/**
 * What webServiceReturn's page (docs/reference/presets/web-service-return.md, section "Examples") shows: each outcome, and the status
 * and body it renders to with the request id `req-1` on `/api/clients/9`. A test renders, validates
 * and decodes each one, and holds the page to them.
 */
export const webServiceReturnExamples: Examples = {
  preset: 'webServiceReturn',
  examples: [
    {
      title: 'a client',
      outcome: { kind: 'success', status: 200, data: { id: 1, name: 'Example' } },
      status: 200,
      body: {
        WebServiceReturn: { Status: 'wrsSuccess', ErrorCode: '', Message: '', Actor: '', ReturnQuestion: null },
        id: 1,
        name: 'Example',
      },
    },
    {
      title: 'a list',
      outcome: { kind: 'success', status: 200, data: [{ id: 1, name: 'Example' }] },
      status: 200,
      body: {
        WebServiceReturn: { Status: 'wrsSuccess', ErrorCode: '', Message: '', Actor: '', ReturnQuestion: null },
        Data: [{ id: 1, name: 'Example' }],
      },
    },
    {
      title: 'not found',
      outcome: { kind: 'error', status: 404, message: 'Client not found', hard: false, validation: false },
      status: 200,
      body: {
        WebServiceReturn: { Status: 'wrsFailed', ErrorCode: 'WSR-404', Message: 'Client not found', Actor: '', ReturnQuestion: null },
      },
    },
    {
      title: 'a validation failure',
      outcome: {
        kind: 'error',
        status: 422,
        message: 'Validation failed',
        hard: false,
        validation: true,
        details: [{ path: 'name', message: 'Required' }],
      },
      status: 200,
      body: { WebServiceReturn: { Status: 'wrsFailed', ErrorCode: 'WSR-400', Message: 'name: Required', Actor: '', ReturnQuestion: null } },
    },
  ],
};

/** What the registry (lib/presets.ts) takes from this module: the factory and the options it reads, and the reader. */
export const preset = /* @__PURE__ */ registryEntry(webServiceReturn);
export { webServiceReturnReader as reader };
