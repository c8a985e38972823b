// A value read as a record of unknown properties: what the package reads errors and results through.

/** An object whose properties are read one by one and checked before use. */
export type Bag = Record<string, unknown>;

/** Any non-null object (arrays included): its properties may be read. */
export function isRecord(value: unknown): value is Bag {
  return value !== null && typeof value === 'object';
}
