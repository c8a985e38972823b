// The one path convention of issues: dots between segments, array indexes as numbers (`items.0.id`).

/** `['items', 0, 'id']` → `items.0.id` */
export function joinPath(segments: readonly unknown[]): string {
  return segments.map((segment) => String(segment)).join('.');
}

/** express-validator's `items[0].id` and `["a.b"]` → `items.0.id`, `a.b` */
export function bracketsToDots(path: string): string {
  return path
    .replace(/\[(\d+)\]/g, '.$1')
    .replace(/\["((?:[^"\\]|\\.)*)"\]/g, (_m, key: string) => `.${key.replace(/\\(.)/g, '$1')}`)
    .replace(/^\./, '');
}

/**
 * A JSON pointer (`/body/items/0/id`, as express-openapi-validator writes it) or an older dotted
 * path (`.body.items[0].id`) → its segments, `~1` and `~0` unescaped: `['body', 'items', '0', 'id']`.
 */
export function pathSegments(raw: string): string[] {
  return bracketsToDots(raw)
    .split(/[/.]/)
    .filter((segment) => segment !== '')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
}
