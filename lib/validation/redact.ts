// Keeps submitted values out of issue messages: a message that quotes a value is replaced.

function quotes(message: string, value: unknown): boolean {
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'bigint' && typeof value !== 'boolean') {
    return false;
  }
  // One or two characters occur in ordinary words and carry no secret.
  const text = String(value);
  return text.length > 2 && message.includes(text);
}

/**
 * `message` when it is a non-empty string that quotes none of `values` (what the client sent);
 * otherwise the value-free `fallback`.
 */
export function valueFree(message: unknown, values: readonly unknown[], fallback: string): string {
  if (typeof message !== 'string' || message === '') return fallback;
  for (const value of values) if (quotes(message, value)) return fallback;
  return message;
}
