// envelopeFetch(): fetch, read the text and headers, decode.

import { misuse } from './errors';
import { decodeText, readerOf } from './decode';
import type { ClientFormat, ClientPreset, Decoded, DecodeOptions } from './types';

type FetchLike = (input: never, init?: never) => Promise<{ status: number; headers: { get(name: string): string | null }; text(): Promise<string> }>;

export interface EnvelopeFetchOptions extends DecodeOptions {
  /**
   * The fetch to call: a wrapped one, a test double, undici's. Defaults to the global `fetch`.
   * @example envelopeFetch('jsend', { fetch: myFetch })
   */
  fetch?: FetchLike;
}

/** What fetch takes first: a URL string, a `URL`, or a `Request`. */
export type FetchInput = string | { readonly href: string } | { readonly url: string };

/** What `envelopeFetch()` returns: fetch's arguments in, a decoded response out. */
export type EnvelopeFetch = <T = unknown>(input: FetchInput, init?: object) => Promise<Decoded<T>>;

/**
 * A fetch that answers decoded responses. Network errors reject as fetch's own do; a body that does
 * not fit the preset rejects with `EnvelopeDecodeError`.
 *
 * @example
 * const api = envelopeFetch('wispanel', { variant: 'portal' });
 * const result = await api('https://example.com/api/v1/admin/versions');
 */
export function envelopeFetch(preset: ClientPreset | ClientFormat, options: EnvelopeFetchOptions = {}): EnvelopeFetch {
  const { fetch: given, ...decodeOptions } = options;
  readerOf(preset, decodeOptions);
  if (given !== undefined && typeof given !== 'function') throw misuse('ERR_ENVELOPE_INVALID_OPTION', 'the option "fetch" must be a function');
  return async function envelopeFetched<T = unknown>(input: FetchInput, init?: object): Promise<Decoded<T>> {
    const call = (given ?? (globalThis as { fetch?: unknown }).fetch) as (input: unknown, init?: unknown) => ReturnType<FetchLike>;
    if (typeof call !== 'function') throw misuse('ERR_ENVELOPE_INVALID_OPTION', 'no global fetch here; pass one as the option "fetch"');
    const response = await call(input, init);
    return decodeText<T>(preset, response.status, await response.text(), response.headers, decodeOptions);
  };
}
