// Accept-Language negotiation and the Vary merge, as pure functions.

import { negotiateLanguage } from '../../lib/accept-language';
import { appendVary } from '../../lib/vary';

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
    ['bad tag, es;q=0.5', 'es'],
    ['fr, ;;, pt-br;q=0.8', 'pt-BR'],
    [Array(100).fill('fr').join(',') + ',es', 'es'],
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
