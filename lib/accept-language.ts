// Accept-Language (RFC 9110 §12.5.4): the best of a list of locales for a header, negotiator-style.

interface LanguageRange {
  /** Lower-cased tag, or `*`. */
  tag: string;
  /** Lower-cased primary subtag (`es` of `es-mx`). */
  primary: string;
  q: number;
  /** Position in the header: ties keep the client's order. */
  index: number;
}

const RANGE = /^([A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*|\*)(?:\s*;\s*[qQ]\s*=\s*(0(?:\.[0-9]{0,3})?|1(?:\.0{0,3})?))?$/;
/** More than any real header; bounds the work a hostile one can cause. */
const MAX_RANGES = 64;

/** The well-formed ranges of a header, in order; a malformed entry is skipped, not fatal. */
export function parseAcceptLanguage(header: string): LanguageRange[] {
  const ranges: LanguageRange[] = [];
  const entries = header.split(',');
  for (let i = 0; i < entries.length && ranges.length < MAX_RANGES; i++) {
    const match = RANGE.exec(entries[i].trim());
    if (match === null) continue;
    const tag = match[1].toLowerCase();
    const dash = tag.indexOf('-');
    ranges.push({ tag, primary: dash === -1 ? tag : tag.slice(0, dash), q: match[2] === undefined ? 1 : Number(match[2]), index: i });
  }
  return ranges;
}

/**
 * How well a range names a locale: 4 the same tag, 2 the range is the locale's primary subtag
 * (`es` for `es-MX`), 1 the locale is the range's primary subtag (`es-MX` for `es`), 0 `*`.
 */
function specificity(range: LanguageRange, locale: string, localePrimary: string): number {
  if (range.tag === locale) return 4;
  if (range.tag === localePrimary) return 2;
  if (range.primary === locale) return 1;
  return range.tag === '*' ? 0 : -1;
}

/**
 * The locale the client prefers, or `undefined` when the header names none of them (or refuses
 * them all with `q=0`). Each locale takes the quality of its most specific range; the highest
 * quality wins, then the more specific match, then the range the client listed first, then the
 * order of `locales`.
 * @example negotiateLanguage('pt-BR;q=0.8, es-MX', ['en', 'es', 'pt']) // 'es'
 */
export function negotiateLanguage(header: string, locales: readonly string[]): string | undefined {
  const ranges = parseAcceptLanguage(header);
  let best: { locale: string; q: number; s: number; index: number } | undefined;
  for (const locale of locales) {
    const lower = locale.toLowerCase();
    const dash = lower.indexOf('-');
    const primary = dash === -1 ? lower : lower.slice(0, dash);
    let match: { q: number; s: number; index: number } | undefined;
    for (const range of ranges) {
      const s = specificity(range, lower, primary);
      if (s < 0) continue;
      if (match === undefined || s > match.s || (s === match.s && (range.q > match.q || (range.q === match.q && range.index < match.index)))) {
        match = { q: range.q, s, index: range.index };
      }
    }
    if (match === undefined || match.q === 0) continue;
    if (best === undefined || match.q > best.q || (match.q === best.q && (match.s > best.s || (match.s === best.s && match.index < best.index)))) {
      best = { locale, ...match };
    }
  }
  return best?.locale;
}
