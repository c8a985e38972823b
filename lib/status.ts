// HTTP status titles and the codes formats derive from them.

import { STATUS_CODES } from 'node:http';

/** Node's reason phrase for a status (`404` → `Not Found`); `Error` for a status Node does not name. */
export function statusTitle(status: number): string {
  return STATUS_CODES[status] ?? 'Error';
}

function words(title: string): string[] {
  return title.split(/[^A-Za-z0-9]+/).filter(Boolean);
}

/** `Method Not Allowed` → `METHOD_NOT_ALLOWED` */
export function upperSnake(title: string): string {
  return words(title).join('_').toUpperCase();
}

/** `Not Found` → `not_found` */
export function lowerSnake(title: string): string {
  return words(title).join('_').toLowerCase();
}

/** True for a whole number in the error range 400..599. */
export function isErrorStatus(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 400 && value <= 599;
}
