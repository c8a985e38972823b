// notFound(): the catch-all after the routes, a hard 404 in the request's envelope.

import createError from 'http-errors';
import { checkOptions } from '../lib/options';
import type { EnvelopeRequest, EnvelopeResponse, NextFunction } from './types';

export interface NotFoundOptions {
  /**
   * The message of the 404. Defaults to `'Not Found'`.
   * @example app.use(notFound({ message: 'No such endpoint' }))
   */
  message?: string;
}

/**
 * Forwards a 404 marked `hard` (a route that does not exist, as opposed to a handler's own
 * "client not found"), so that formats which answer soft errors with 200 still say 404 here.
 * @example app.use(notFound()); app.use(errorHandler());
 */
export function notFound(options: NotFoundOptions = {}): NotFoundMiddleware {
  checkOptions('notFound()', options, ['message']);
  const message = options.message ?? 'Not Found';
  return function notFound(_req: EnvelopeRequest, _res: EnvelopeResponse, next: NextFunction): void {
    next(createError(404, message, { hard: true }));
  };
}

export type NotFoundMiddleware = (req: EnvelopeRequest, res: EnvelopeResponse, next: NextFunction) => void;
