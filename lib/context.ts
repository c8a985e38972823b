// The request id in async context: set by requestId(), read anywhere inside the request.

import { AsyncLocalStorage } from 'node:async_hooks';

export const requestIdStorage = new AsyncLocalStorage<string>();

/**
 * The id of the request being handled, from any code running inside it (a service, a logger mixin,
 * a database hook); `undefined` outside a request or when `requestId()` is not mounted.
 * @example logger.info({ requestId: currentRequestId() }, 'charged card')
 */
export function currentRequestId(): string | undefined {
  return requestIdStorage.getStore();
}
