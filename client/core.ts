// express-envelope/client/core: the client without the table of preset names. Pass a format (each
// preset's is exported here, one by one) and a bundle carries only the readers it names.

// decode() reads a parsed body; decodeText() parses text itself, keeping ids beyond 2^53 exact;
// unwrap() turns a failure into an exception.
export { decode, decodeText, unwrap } from './decode';
// Fetches and decodes in one call.
export { envelopeFetch, type EnvelopeFetch, type EnvelopeFetchOptions, type FetchInput } from './fetch';
// What a body that does not fit throws, and what unwrap() throws for a failure.
export { EnvelopeDecodeError, EnvelopeResponseError } from './errors';
// Each preset's reading format, by the preset's name (WisPanel's by variant: `wispanel.portal`).
export * from '../lib/readers';
// The decoded shapes, to type what an API returns; what a custom reader is written against.
export type {
  ClientFormat,
  ClientPreset,
  Decoded,
  DecodedFailure,
  DecodedIssue,
  DecodedSuccess,
  DecodeOptions,
  EnvelopeResponse,
  HeaderSource,
  WispanelVariant,
} from './types';
export type { ReadContext, Reader, Reading, ReadingFormat } from '../lib/formats/read';
