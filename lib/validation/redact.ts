// Keeps submitted values out of issue messages: a message that quotes a value the client sent, in any
// of the forms a library prints it (cased, trimmed, JSON-, URL- or HTML-escaped, or a piece of it),
// is replaced. The cost is linear in the length of the messages plus the length of the values.

/** Values shorter than this occur in ordinary words and carry no secret. */
const MIN_VALUE = 3;
/** A piece this long of a longer value counts as a quote of it. */
const PIECE = 8;
/** At most this many values are read from a request, to this depth, and this many characters in all. */
const MAX_VALUES = 1000;
const MAX_DEPTH = 8;
const MAX_CHARS = 1_048_576;

export const REDACTION_LIMITS = { MIN_VALUE, PIECE, MAX_VALUES, MAX_DEPTH, MAX_CHARS } as const;

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

function fromCodePoint(code: number, fallback: string): string {
  return code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : fallback;
}

/** `&lt;` `&#39;` `&#x40;` → the characters (Joi's escapeHtml, template engines). */
function htmlDecoded(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/g, (entity, name: string) => {
    if (name[0] !== '#') return ENTITIES[name] ?? entity;
    return fromCodePoint(name[1] === 'x' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10), entity);
  });
}

/** `%40` and `+` → the characters; a broken sequence stays as it is. */
function urlDecoded(text: string): string {
  return text.replace(/\+/g, ' ').replace(/(?:%[0-9a-f]{2})+/g, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });
}

const JSON_ESCAPES: Readonly<Record<string, string>> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/** `\"` `\\` `\u00e9` → the characters, as JSON.stringify would have escaped them. */
function jsonUnescaped(text: string): string {
  return text.replace(/\\(u[0-9a-f]{4}|.)/g, (_m, c: string) =>
    c.length === 5 ? String.fromCharCode(parseInt(c.slice(1), 16)) : (JSON_ESCAPES[c] ?? c),
  );
}

/** The message in every form a value may hide in: lower-cased, then HTML-, URL- and JSON-decoded. */
function forms(message: string): string[] {
  const lower = message.toLowerCase();
  const out = [lower];
  if (lower.includes('&')) out.push(htmlDecoded(lower));
  if (lower.includes('%') || lower.includes('+')) out.push(urlDecoded(lower));
  if (lower.includes('\\')) out.push(jsonUnescaped(lower));
  return out;
}

/** What a submitted value is compared as. */
function normalized(value: string): string {
  return value.trim().toLowerCase();
}

/**
 * Every piece of the messages a value could match (each substring of MIN_VALUE..PIECE characters),
 * pointing to the messages that hold it.
 */
class MessageIndex {
  private readonly pieces = new Map<string, number[]>();

  constructor(messages: readonly string[]) {
    messages.forEach((message, i) => {
      for (const form of forms(message)) {
        for (let start = 0; start + MIN_VALUE <= form.length; start++) {
          for (let length = MIN_VALUE; length <= PIECE && start + length <= form.length; length++) {
            const piece = form.slice(start, start + length);
            const holders = this.pieces.get(piece);
            if (holders === undefined) this.pieces.set(piece, [i]);
            else if (holders[holders.length - 1] !== i) holders.push(i);
          }
        }
      }
    });
  }

  /** Marks in `hit` the messages that quote `value` (whole when short, by any PIECE-long piece when long). */
  mark(value: string, hit: Set<number>): void {
    const text = normalized(value);
    if (text.length < MIN_VALUE) return;
    if (text.length <= PIECE) {
      for (const i of this.pieces.get(text) ?? []) hit.add(i);
      return;
    }
    for (let start = 0; start + PIECE <= text.length; start++) {
      const holders = this.pieces.get(text.slice(start, start + PIECE));
      if (holders !== undefined) for (const i of holders) hit.add(i);
    }
  }
}

/** True when `form` (a message form) holds `text` (a normalized value): whole, or any PIECE of it. */
function holds(form: string, text: string): boolean {
  if (text.length <= PIECE) return form.includes(text);
  for (let start = 0; start + PIECE <= text.length; start++) {
    if (form.includes(text.slice(start, start + PIECE))) return true;
  }
  return false;
}

/**
 * `message` when it is a non-empty string that quotes none of `values` (what the client sent for the
 * field); otherwise the value-free `fallback`. One issue, one or two values: a direct search.
 */
export function valueFree(message: unknown, values: readonly unknown[], fallback: string): string {
  if (typeof message !== 'string' || message === '') return fallback;
  let messageForms: string[] | undefined;
  for (const value of values) {
    if (!isQuotable(value)) continue;
    const text = normalized(String(value));
    if (text.length < MIN_VALUE) continue;
    messageForms ??= forms(message);
    for (const form of messageForms) if (holds(form, text)) return fallback;
  }
  return message;
}

function isQuotable(value: unknown): value is string | number | bigint | boolean {
  const type = typeof value;
  return type === 'string' || type === 'number' || type === 'bigint' || type === 'boolean';
}

/**
 * The texts of the primitives the client sent, from the request's body, query, params and cookies,
 * for the request-wide net below. Bounded (see REDACTION_LIMITS), so a huge body costs little.
 */
export function submittedValues(sources: readonly unknown[]): string[] {
  const values: string[] = [];
  let chars = 0;
  const seen = new Set<unknown>();
  const walk = (value: unknown, depth: number): void => {
    if (values.length >= MAX_VALUES || chars >= MAX_CHARS) return;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint') {
      const text = String(value);
      if (text.length >= MIN_VALUE) {
        values.push(text.length > MAX_CHARS - chars ? text.slice(0, MAX_CHARS - chars) : text);
        chars += text.length;
      }
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
  if (values.length === 0 || issues.length === 0) return issues;
  const index = new MessageIndex(issues.map((issue) => issue.message));
  const hit = new Set<number>();
  for (const value of values) index.mark(value, hit);
  if (hit.size === 0) return issues;
  return issues.map((issue, i) => (hit.has(i) ? { ...issue, message: 'Invalid value' } : issue));
}
