// What a store's answer must look like before idempotency() acts on it: a reply outside the store
// contract (a custom store's bug, a damaged Redis value) is a store failure, never a hang or a guess.

import type { IdempotencyRecord, StoredResponse } from './store';

/** A store answered something the store contract does not allow. */
export class StoreReplyError extends Error {
  constructor(message: string) {
    super(`idempotency: the store answered ${message}`);
    this.name = 'StoreReplyError';
  }
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// What Node's setHeader() accepts in a value: no control characters but tab.
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- no object is left here: a primitive or a function, named by String()
  return typeof value === 'object' ? 'an object' : typeof value === 'string' ? 'a string' : String(value);
}

function isHeaderValue(value: unknown): boolean {
  if (typeof value === 'string') return FIELD_VALUE.test(value);
  return Array.isArray(value) && value.every((item) => typeof item === 'string' && FIELD_VALUE.test(item));
}

/** Whether a stored response can be sent again as it is. */
function replayable(response: unknown): response is StoredResponse {
  if (response === null || typeof response !== 'object') return false;
  const { status, headers, body } = response as Record<string, unknown>;
  return (
    Number.isInteger(status) &&
    (status as number) >= 200 &&
    (status as number) <= 599 &&
    Array.isArray(headers) &&
    headers.every(
      (entry) =>
        Array.isArray(entry) && entry.length === 2 && typeof entry[0] === 'string' && TOKEN.test(entry[0]) && isHeaderValue(entry[1]),
    ) &&
    typeof body === 'string' &&
    BASE64.test(body)
  );
}

/** A claim's answer: `null` (claimed) or a record; anything else throws StoreReplyError. */
export function checkClaimReply(reply: unknown): IdempotencyRecord | null {
  if (reply === null) return null;
  if (reply === undefined || typeof reply !== 'object' || Array.isArray(reply)) {
    throw new StoreReplyError(`${describe(reply)} to a claim (expected null or a record)`);
  }
  const record = reply as Record<string, unknown>;
  if (typeof record.fingerprint !== 'string') throw new StoreReplyError('a record without a fingerprint');
  if (record.state === 'running') {
    if (typeof record.token !== 'string') throw new StoreReplyError('a running record without a token');
    return record as unknown as IdempotencyRecord;
  }
  if (record.state === 'done') {
    if (!replayable(record.response)) throw new StoreReplyError('a stored response that cannot be replayed');
    return record as unknown as IdempotencyRecord;
  }
  throw new StoreReplyError(`a record in an unknown state (${describe(record.state)})`);
}

/** A finish's answer: a boolean; anything else throws StoreReplyError. */
export function checkFinishReply(reply: unknown): boolean {
  if (typeof reply !== 'boolean') throw new StoreReplyError(`${describe(reply)} to a finish (expected true or false)`);
  return reply;
}
