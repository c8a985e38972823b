// Which formats promise X-RateLimit-Window: the one rule rateLimit() and openApiResponses() share.

import type { Format } from './outcome';

/**
 * True for WisPanel, every variant (`wispanel`, `wispanel:<variant>`): its contract names the
 * window (in seconds) next to the legacy `X-RateLimit-*` headers; no other preset's does.
 */
export function promisesWindowHeader(format: Format | undefined): boolean {
  const name = format?.name;
  return name === 'wispanel' || (typeof name === 'string' && name.startsWith('wispanel:'));
}
