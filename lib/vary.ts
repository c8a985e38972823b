// Adding a field to a Vary header without losing what the app put there.

/**
 * The Vary value with `field` added: kept as is when it already names the field (in any case) or
 * is `*`, else the field appended after what was there.
 * @example appendVary('Origin', 'Accept-Language') // 'Origin, Accept-Language'
 */
export function appendVary(current: string | number | readonly string[] | null | undefined, field: string): string {
  const text = Array.isArray(current) ? current.join(', ') : current === undefined || current === null ? '' : String(current);
  const names = text
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);
  if (names.length === 0) return field;
  if (names.includes('*') || names.includes(field.toLowerCase())) return text;
  return `${text}, ${field}`;
}
