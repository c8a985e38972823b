// Accept-Language (RFC 9110 §12.5.4): the best of a list of locales for a header, by `negotiator`,
// the negotiation Express itself uses for `req.acceptsLanguages()`.

import Negotiator from 'negotiator';

/**
 * The locale the client prefers, or `undefined` when the header names none of them (or refuses
 * them all with `q=0`). Each locale takes the quality of its most specific range; the highest
 * quality wins, then the more specific match, then the range the client listed first, then the
 * order of `locales`. A malformed entry of the header is skipped, not fatal.
 * @example negotiateLanguage('pt-BR;q=0.8, es-MX', ['en', 'es', 'pt']) // 'es'
 */
export function negotiateLanguage(header: string, locales: readonly string[]): string | undefined {
  if (header === '') return undefined;
  return new Negotiator({ headers: { 'accept-language': header } }).language(locales);
}
