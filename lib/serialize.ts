// JSON text for a response body: BigInt as exact integers, Express's json settings honoured, and a
// clear error for what cannot be serialized.

import { EnvelopeError } from './errors';

export interface JsonSettings {
  replacer?: ((this: unknown, key: string, value: unknown) => unknown) | undefined;
  spaces?: string | number | undefined;
  escape?: boolean | undefined;
}

const NO_SETTINGS: JsonSettings = {};

/**
 * Serializes a body. The common case is one plain `JSON.stringify`; only a body that holds a BigInt
 * pays for the slower path, which writes each BigInt as its exact digits (ids up to 2^63 survive).
 * Throws `ERR_ENVELOPE_UNSERIALIZABLE` for circular data, a throwing `toJSON`, and the like.
 */
export function serialize(body: unknown, settings: JsonSettings = NO_SETTINGS): string {
  const { replacer, spaces, escape } = settings;
  let text: string | undefined;
  try {
    text = JSON.stringify(body, replacer, spaces);
  } catch (error) {
    if (!(error instanceof TypeError && /BigInt/.test(error.message))) throw unserializable(error);
    text = withBigInts(body, settings);
  }
  // JSON.stringify(undefined) is undefined; the wire gets what Express sends for it, nothing.
  if (text === undefined) return '';
  return escape ? escapeHtmlChars(text) : text;
}

function withBigInts(body: unknown, settings: JsonSettings): string {
  // Each BigInt is written as a string opening with a marker, then unquoted. A payload string (or key)
  // holding the marker shows up as one occurrence too many, and the body is written again with
  // another marker: no randomness needed, so no Node module either.
  for (let attempt = 0; ; attempt++) {
    const text = withMarker(body, settings, `\u0000bigint-${attempt}:`);
    if (text !== undefined) return text;
  }
}

function withMarker(body: unknown, { replacer, spaces }: JsonSettings, marker: string): string | undefined {
  let count = 0;
  let text: string;
  try {
    text = JSON.stringify(
      body,
      function bigintReplacer(this: unknown, key: string, value: unknown) {
        const replaced = replacer ? replacer.call(this, key, value) : value;
        // `Object(5n)` too: JSON.stringify unwraps it to a bigint after the replacer has run.
        if (typeof replaced === 'bigint' || replaced instanceof BigInt) {
          count++;
          return marker + replaced.toString();
        }
        return replaced;
      },
      spaces,
    );
  } catch (error) {
    throw unserializable(error);
  }
  const quoted = JSON.stringify(marker).slice(0, -1);
  const parts = text.split(quoted);
  if (parts.length - 1 !== count) return undefined;
  return parts.map((part, i) => (i === 0 ? part : part.replace(/^(-?\d+)"/, '$1'))).join('');
}

/** The error for a body that cannot be written as JSON, keeping what JSON.stringify (or toJSON) threw. */
export function unserializable(cause: unknown): EnvelopeError {
  return new EnvelopeError('ERR_ENVELOPE_UNSERIALIZABLE', 'The response body cannot be serialized to JSON', {
    cause,
  });
}

/** What Express's `json escape` setting does: no `<`, `>` or `&` in the text, so it is safe in HTML. */
function escapeHtmlChars(text: string): string {
  return text.replace(/[<>&]/g, (c) => (c === '<' ? '\\u003c' : c === '>' ? '\\u003e' : '\\u0026'));
}

/**
 * JSON for a header value built from data (vbapi's `X-Pagination`): every character beyond ASCII is
 * written as `\uXXXX`, so Node accepts the value and every client reads the same text.
 */
export function headerJson(value: unknown): string {
  return serialize(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
