// The client typed by a catalog: `code` narrows to the catalog's codes, and a misspelled code does
// not compile (tsc checks this file; the @ts-expect-error lines fail the type check if they compile).

import { type CatalogCode, type Decoded, envelopeFetch } from '../../client';
import { payments } from './payments';

const declined = async (): Promise<Response> =>
  new Response(
    JSON.stringify({
      type: 'https://errors.example.com/card-declined',
      title: 'Payment Required',
      status: 402,
      detail: 'The card was declined',
      code: 'CARD_DECLINED',
    }),
    {
      status: 402,
      headers: { 'Content-Type': 'application/problem+json' },
    },
  );

test('a catalog option types code; comparing with a code of the catalog narrows it', async () => {
  const api = envelopeFetch('problem', { fetch: declined, catalog: payments });
  const result = await api<{ id: number }>('https://api.example/pay');
  let seen: 'CARD_DECLINED' | undefined;
  if (!result.ok) {
    if (result.code === 'CARD_DECLINED') seen = result.code;
    // @ts-expect-error a misspelled code does not compile
    if (result.code === 'CARD_DECLIND') seen = undefined;
  }
  expect(seen).toBe('CARD_DECLINED');
});

test('or a type parameter: envelopeFetch<CatalogCode<typeof catalog>>()', async () => {
  const api = envelopeFetch<CatalogCode<typeof payments>>('problem', { fetch: declined });
  const result: Decoded<unknown, 'CARD_DECLINED' | 'ORDER_NOT_FOUND' | 'LEDGER_BUSY' | 'LEDGER_DOWN'> =
    await api('https://api.example/pay');
  const code = result.ok ? undefined : result.code;
  // @ts-expect-error the type parameter is the catalog's codes, not any string
  const other: 'NOT_A_CODE' | undefined = code;
  expect([code, other]).toEqual(['CARD_DECLINED', 'CARD_DECLINED']);
});

test('a plain object of codes works in a browser bundle, without the server catalog', async () => {
  const codes = { codes: ['OUT_OF_STOCK'] as const, definitions: { OUT_OF_STOCK: { retryable: false } } };
  const api = envelopeFetch('jsend', {
    catalog: codes,
    fetch: async () => new Response('{"status":"error","message":"Out","code":"OUT_OF_STOCK"}', { status: 409 }),
  });
  const result = await api('https://api.example/cart');
  type Code = Extract<typeof result, { ok: false }>['code'];
  const code: Code = result.ok ? undefined : result.code;
  // @ts-expect-error not a code of that catalog
  const wrong: Code = 'CARD_DECLINED';
  expect([code, wrong]).toEqual(['OUT_OF_STOCK', 'CARD_DECLINED']);
});
