// notFound(): the catch-all after the routes, a hard 404 in the request's envelope.

import createError from 'http-errors';
import { PACKAGE_TEXT } from '../lib/catalogs';
import { checkOptions } from '../lib/options';
import type { EnvelopeRequest, EnvelopeResponse, NextFunction } from '../response/types';

export interface NotFoundOptions {
  /**
   * The message of the 404. Defaults to `'Not Found'`.
   * @example app.use(notFound({ message: 'No such endpoint' }))
   */
  message?: string;
}

const KNOWN: Record<keyof NotFoundOptions, true> = { message: true };

/**
 * Forwards a 404 marked `hard` (a route that does not exist, as opposed to a handler's own
 * "client not found"), so that formats which answer soft errors with 200 still say 404 here.
 * @example app.use(notFound()); app.use(errorHandler());
 */
export function notFound(options: NotFoundOptions = {}): NotFoundMiddleware {
  checkOptions('notFound()', options, Object.keys(KNOWN));
  const message = options.message ?? 'Not Found';
  // The default is the status title, written in the request's language when locales are set.
  const ownText = options.message === undefined;
  return function notFound(_req: EnvelopeRequest, _res: EnvelopeResponse, next: NextFunction): void {
    const error = createError(404, message, { hard: true });
    if (ownText) Object.defineProperty(error, PACKAGE_TEXT, { value: 'generic' });
    next(error);
  };
}

export type NotFoundMiddleware = (req: EnvelopeRequest, res: EnvelopeResponse, next: NextFunction) => void;
