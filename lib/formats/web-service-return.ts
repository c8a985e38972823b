// eData's WebServiceReturn: always HTTP 200 but for 5xx; the payload's keys sit beside the envelope.

import { type MessageOptions, resolveMessages } from './messages';
import type { Format, JsonSchema } from '../outcome';
import { appendPayload, spreadPayload } from '../payload';
import { ANY, STRING, constant, object, spreading, spreadingError } from '../schema';

const KEY = 'WebServiceReturn';

function wireStatus(status: number): number {
  return status >= 500 ? 500 : 200;
}

const header = (status: 'wrsSuccess' | 'wrsFailed'): JsonSchema =>
  object({ Status: constant(status), ErrorCode: STRING, Message: STRING, Actor: STRING, ReturnQuestion: ANY });

export function webServiceReturn(options: MessageOptions = {}): Format {
  const messages = resolveMessages('webServiceReturn', () => ({ validation: '{issues}' }), options);
  return {
    name: 'webServiceReturn',
    payload: 'spread',
    genericMessage: messages.genericMessage,
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
