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

const MAX_VALUES = 1000;
const MAX_DEPTH = 8;

/**
 * The texts of every primitive the client sent (3 characters or more), from the request's body,
 * query and params, for the request-wide net below. Bounded, so a huge body costs little.
 */
export function submittedValues(sources: readonly unknown[]): string[] {
  const values: string[] = [];
  const seen = new Set<unknown>();
  const walk = (value: unknown, depth: number): void => {
    if (values.length >= MAX_VALUES) return;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint') {
      const text = String(value);
      if (text.length > 2) values.push(text);
      return;
    }
    if (value === null || typeof value !== 'object' || depth >= MAX_DEPTH || seen.has(value)) return;
    seen.add(value);
    for (const item of Array.isArray(value) ? value : Object.values(value)) walk(item, depth + 1);
  };
  for (const source of sources) {
    try {
      walk(source, 0);
    } catch {
      // A getter that throws on a parsed body: nothing more to read there.
    }
  }
  return values;
}

/** Issues whose message quotes any submitted value get a value-free message instead. */
export function scrubIssues<T extends { message: string }>(issues: T[], values: readonly string[]): T[] {
  if (values.length === 0) return issues;
  let changed = false;
  const out = issues.map((issue) => {
    if (!values.some((value) => issue.message.includes(value))) return issue;
    changed = true;
    return { ...issue, message: 'Invalid value' };
  });
  return changed ? out : issues;
}
