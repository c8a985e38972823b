// The example catalog the catalog suites and the generated page (docs/guides/error-catalog-example.md) share.

import { defineErrors } from '../../index';

export const payments = defineErrors({
  CARD_DECLINED: {
    status: 402,
    message: { en: 'The card was declined', es: 'La tarjeta fue rechazada', pt: 'O cartão foi recusado' },
    type: 'https://errors.example.com/card-declined',
    docs: 'https://docs.example.com/errors#card-declined',
  },
  ORDER_NOT_FOUND: {
    status: 404,
    message: { en: 'No such order', es: 'No existe ese pedido', pt: 'Esse pedido não existe' },
  },
  LEDGER_BUSY: {
    status: 409,
    message: {
      en: 'The ledger is busy; try again',
      es: 'El libro contable está ocupado; inténtelo de nuevo',
      pt: 'O livro contábil está ocupado; tente novamente',
    },
    retryable: true,
  },
  LEDGER_DOWN: { status: 503, message: 'The ledger is unavailable', retryable: true },
});
