// Accept-Language negotiation and the Vary merge, as pure functions.

import { negotiateLanguage, parseAcceptLanguage } from '../../lib/accept-language';
import { appendVary } from '../../lib/vary';

describe('parseAcceptLanguage()', () => {
  it('reads tags and q-values in order, skipping malformed entries', () => {
    expect(parseAcceptLanguage('es-MX, pt;q=0.8 , *;Q=0.1, bad tag, en;q=1.5, fr;q=0.500')).toEqual([
      { tag: 'es-mx', primary: 'es', q: 1, index: 0 },
      { tag: 'pt', primary: 'pt', q: 0.8, index: 1 },
      { tag: '*', primary: '*', q: 0.1, index: 2 },
      { tag: 'fr', primary: 'fr', q: 0.5, index: 5 },
    ]);
  });

  it('reads at most 64 ranges', () => {
    expect(parseAcceptLanguage(Array(100).fill('en').join(',')).length).toBe(64);
  });
});

describe('negotiateLanguage()', () => {
  const locales = ['en', 'es', 'pt-BR'];
  it.each([
    ['es', 'es'],
    ['es-AR', 'es'],
    ['pt', 'pt-BR'],
    ['pt-br', 'pt-BR'],
    ['pt-PT', undefined],
    ['fr', undefined],
    ['', undefined],
    ['*', 'en'],
    ['en;q=0, *;q=0.5', 'es'],
    ['es;q=0.9, en;q=0.9', 'es'],
    ['en;q=0.9, es;q=0.9', 'en'],
    ['es-MX;q=0.2, es;q=0.9', 'es'],
    ['es;q=0', undefined],
  ])('%p → %p', (header, expected) => {
    expect(negotiateLanguage(header, locales)).toBe(expected);
  });
});

describe('appendVary()', () => {
  it.each([
    [undefined, 'Accept-Language'],
    ['', 'Accept-Language'],
    ['Origin', 'Origin, Accept-Language'],
    [['Origin', 'Accept-Encoding'], 'Origin, Accept-Encoding, Accept-Language'],
    ['origin, ACCEPT-LANGUAGE', 'origin, ACCEPT-LANGUAGE'],
    ['*', '*'],
  ])('%p → %p', (current, expected) => {
    expect(appendVary(current, 'Accept-Language')).toBe(expected);
  });
});
