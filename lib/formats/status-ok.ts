// Universa's common response: `{ status: "OK" | "error" }`, soft errors on HTTP 200.

import { type MessageOptions, resolveMessages } from './messages';
import type { Format, JsonSchema } from '../outcome';
import { appendPayload, spreadPayload } from '../payload';
import { STRING, constant, spreading, spreadingError } from '../schema';
import { lowerSnake, statusTitle } from '../status';
import { type SpreadReader, describe, fail, failure, isEmpty, spreadData, spreadReader, success } from './read';
import type { Bodies, Examples, Typed } from '../outcome';
import type { Extra, Spread } from '../body-types';
import { registryEntry } from '../preset';

export function statusOk(options: MessageOptions = {}): Format & Typed<StatusOkBodies> {
  const messages = resolveMessages('statusOk', (catalog) => ({ validation: catalog.validationFailed }), options);
  return {
    name: 'statusOk',
    payload: 'spread',
    genericMessage: messages.genericMessage,
    read: statusOkReader,
    render(result, ctx) {
      if (result.kind !== 'error') {
        return { status: result.status, body: spreadPayload({ status: 'OK' }, result.data, 'result', 'statusOk') };
      }
      const outcome = messages.localize(result, ctx.locale);
      const body = {
        status: 'error',
        code: outcome.code ?? (outcome.validation ? 'validation_error' : lowerSnake(statusTitle(outcome.status))),
        text: messages.text(outcome, ctx.locale),
      };
      // Soft (business) errors are HTTP 200; only hard failures keep their status.
      return { status: outcome.hard ? outcome.status : 200, body: appendPayload(body, outcome.data) };
    },
    schemas(data?: JsonSchema) {
      return {
        success: spreading({ status: constant('OK') }, ['status'], data, { format: 'statusOk', slot: 'result' }),
        error: spreadingError({ status: constant('error'), code: STRING, text: STRING }),
      };
    },
  };
}

/** Reads Universa's body: `"OK"` is a success (an array or scalar payload under `result`), `"error"` a failure. */
export const statusOkReader: SpreadReader = spreadReader({
  key: 'status',
  slot: 'result',
  known: { '"OK"': 'OK' },
  read(status, data, ctx) {
    if (status === 'OK') return success(ctx.status, spreadData(data, 'result'));
    if (status !== 'error') fail('"status" must be "OK" or "error"');
    const { code, text: message, ...extra } = data;
    if (typeof message !== 'string') fail(`"text" must be a string, got ${describe(message)}`);
    if (typeof code !== 'string') fail(`"code" must be a string, got ${describe(code)}`);
    const result = failure(ctx.status, message, code);
    if (!isEmpty(extra)) result.data = extra;
    return result;
  },
});

/** Universa's bodies as types: a plain-object payload spreads, any other goes under `result`. */
export interface StatusOkBodies extends Bodies {
  success: Spread<{ status: 'OK' }, this['payload'], 'result'>;
  error: Extra & { status: 'error'; code: string; text: string };
}

/**
 * What statusOk's page (docs/reference/presets/status-ok.md, section "Examples") shows: each outcome, and the status
 * and body it renders to with the request id `req-1` on `/api/clients/9`. A test renders, validates
 * and decodes each one, and holds the page to them.
 */
export const statusOkExamples: Examples = {
  preset: 'statusOk',
  examples: [
    {
      title: 'a client',
      outcome: { kind: 'success', status: 200, data: { id: 1, name: 'Example' } },
      status: 200,
      body: { status: 'OK', id: 1, name: 'Example' },
    },
    {
      title: 'a list',
      outcome: { kind: 'success', status: 200, data: [{ id: 1, name: 'Example' }] },
      status: 200,
      body: { status: 'OK', result: [{ id: 1, name: 'Example' }] },
    },
    {
      title: 'not found',
      outcome: { kind: 'error', status: 404, message: 'Client not found', hard: false, validation: false },
      status: 200,
      body: { status: 'error', code: 'not_found', text: 'Client not found' },
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
      body: { status: 'error', code: 'validation_error', text: 'Validation failed: name: Required' },
    },
  ],
};

/** What the registry (lib/presets.ts) takes from this module: the factory and the options it reads, and the reader. */
export const preset = /* @__PURE__ */ registryEntry(statusOk);
export { statusOkReader as reader };
