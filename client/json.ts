// JSON text → value, with integers beyond 2^53 kept exact as BigInt.
//
// JSON.parse rounds 9223372036854775807 to 9223372036854775808, and Node 20 gives a reviver no
// access to the source text. So the common case stays one JSON.parse, and only a text holding a run
// of 16 or more digits (where an unsafe integer could be; the largest safe one has 16) is read again
// by the small exact reader below, after JSON.parse has checked that it is valid JSON.

/**
 * True when the text has 16 digits in a row anywhere (in a string too: that only costs the exact
 * path). Such a run covers one index of every residue mod 16, so looking at every 16th character
 * finds it; a regular expression over every character costs a fifth of JSON.parse itself.
 */
export function hasLongDigitRun(text: string): boolean {
  const length = text.length;
  for (let i = 15; i < length; i += 16) {
    if (!isDigit(text.charCodeAt(i))) continue;
    let start = i;
    let end = i;
    while (start > 0 && isDigit(text.charCodeAt(start - 1))) start--;
    while (end + 1 < length && isDigit(text.charCodeAt(end + 1))) end++;
    if (end - start >= 15) return true;
  }
  return false;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

const NUMBER = /-?\d+(\.\d+)?([eE][+-]?\d+)?/y;

/** Parses JSON; an integer literal that is not a safe integer becomes a BigInt. Throws SyntaxError. */
export function parseJson(text: string, exact = hasLongDigitRun(text)): unknown {
  if (!exact) return JSON.parse(text);
  JSON.parse(text);
  return parseExact(text);
}

/**
 * Reads text that JSON.parse has already accepted, so it checks nothing itself. It keeps its own
 * stack of open containers instead of recursing, so nesting as deep as JSON.parse takes reads too.
 */
function parseExact(text: string): unknown {
  let i = 0;

  function space(): void {
    let c = text.charCodeAt(i);
    while (c === 32 || c === 10 || c === 13 || c === 9) c = text.charCodeAt(++i);
  }

  function string(): string {
    const start = i++;
    let escaped = false;
    for (let c = text.charCodeAt(i); c !== 34; c = text.charCodeAt(i)) {
      if (c === 92) {
        escaped = true;
        i += 2;
      } else i++;
    }
    i++;
    return escaped ? (JSON.parse(text.slice(start, i)) as string) : text.slice(start + 1, i - 1);
  }

  /** A scalar at `i`. */
  function scalar(c: string): unknown {
    if (c === '"') return string();
    if (c === 't') return ((i += 4), true);
    if (c === 'f') return ((i += 5), false);
    if (c === 'n') return ((i += 4), null);
    NUMBER.lastIndex = i;
    const match = NUMBER.exec(text) as RegExpExecArray;
    i = NUMBER.lastIndex;
    const number = Number(match[0]);
    return match[1] === undefined && match[2] === undefined && !Number.isSafeInteger(number) ? BigInt(match[0]) : number;
  }

  // Open containers, innermost last; for an object, the key its next value goes under.
  const containers: (unknown[] | Record<string, unknown>)[] = [];
  const keys: string[] = [];
  let result: unknown;
  for (;;) {
    // Read one value: a scalar, or the opening of a container (whose first value comes next).
    space();
    const c = text[i];
    let value: unknown;
    if (c === '{' || c === '[') {
      i++;
      space();
      const empty = text[i] === (c === '{' ? '}' : ']');
      const container = c === '{' ? ({} as Record<string, unknown>) : ([] as unknown[]);
      if (!empty) {
        containers.push(container);
        if (c === '{') {
          keys.push(string());
          space();
          i++; // the colon
        }
        continue;
      }
      i++;
      value = container;
    } else value = scalar(c);
    // Put it in its container; close every container that ends here.
    for (;;) {
      const depth = containers.length;
      if (depth === 0) {
        result = value;
        break;
      }
      const container = containers[depth - 1];
      // An own `__proto__` key, as JSON.parse makes it, never the prototype.
      if (Array.isArray(container)) container.push(value);
      else Object.defineProperty(container, keys.pop() as string, { value, enumerable: true, writable: true, configurable: true });
      space();
      if (text[i++] === ',') {
        if (!Array.isArray(container)) {
          space();
          keys.push(string());
          space();
          i++; // the colon
        }
        break;
      }
      // `}` or `]`: the container is complete, and is itself the value of the one around it.
      value = containers.pop();
    }
    if (containers.length === 0) return result;
  }
}

/**
 * `{"<key>":<value>,<rest>}` (`open` is `{"<key>":`) → the value's text and `{<rest>}`, or undefined when the text does not
 * open that way (spaces, another key first). Each part is then parsed on its own, which checks it; the
 * joints are checked here, so the two parts are valid exactly when the whole text is.
 */
export function splitFirstKey(text: string, open: string): [string, string] | undefined {
  if (!text.startsWith(open)) return undefined;
  return splitAt(text, open.length, valueEnd(text, open.length));
}

/** The value at `start..end` and the rest, when a `,"` or the closing `}` follows the value. */
export function splitAt(text: string, start: number, end: number): [string, string] | undefined {
  const next = text[end];
  if (next === '}') return [text.slice(start, end), '{' + text.slice(end)];
  if (next === ',' && text[end + 1] === '"') return [text.slice(start, end), '{' + text.slice(end + 1)];
  return undefined;
}

/** Where the JSON value that starts at `i` ends (it may be invalid: the caller parses it). */
function valueEnd(text: string, i: number): number {
  let depth = 0;
  for (const length = text.length; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      // A string: skip to its closing quote.
      for (i++; i < length && text.charCodeAt(i) !== 34; i++) if (text.charCodeAt(i) === 92) i++;
      if (depth === 0) return i + 1;
    } else if (c === 123 || c === 91) depth++;
    else if (c === 125 || c === 93) {
      if (depth === 0) return i;
      if (--depth === 0) return i + 1;
    } else if (c === 44 && depth === 0) return i;
  }
  return i;
}
