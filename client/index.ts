// express-envelope/client: reads the envelopes the server writes, in browsers, workers and Node 18+.
// No Node built-ins and no render code: the readers come from the formats' own modules.

import { usePresetNames } from './decode';
import { presetEntry } from './presets';

// Preset names are read here; express-envelope/client/core leaves the table out.
usePresetNames(presetEntry);

// decode() reads a parsed body; decodeText() parses text itself, keeping ids beyond 2^53 exact;
// unwrap() turns a failure into an exception.
export { decode, decodeText, unwrap } from './decode';
// Fetches and decodes in one call.
export { envelopeFetch, type EnvelopeFetch, type EnvelopeFetchOptions, type FetchInput } from './fetch';
// The `retry` and `catalog` options' types, and the codes of a catalog to type `Decoded` with.
export type { CatalogCode, ClientCatalog, RetryOptions } from './retry';
// What a body that does not fit throws, and what unwrap() throws for a failure.
export { EnvelopeDecodeError, EnvelopeResponseError } from './errors';
// The decoded shapes, to type what an API returns.
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
// What a custom format's reader is written against (defineFormat({ read })).
export type { ReadContext, Reader, Reading } from '../lib/formats/read';
