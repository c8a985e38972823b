// The request id rule: which incoming ids may be reused, and how fresh ones are made.

import { randomUUID } from 'node:crypto';

const SAFE_ID = /^[A-Za-z0-9\-_.:=+/]+$/;

/** True when an incoming id may be reused: a non-empty string of at most `maxLength` safe characters. */
export function isAcceptableId(value: unknown, maxLength: number): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= maxLength && SAFE_ID.test(value);
}

/** A fresh id: a random (v4) UUID. */
export function newRequestId(): string {
  return randomUUID();
}
