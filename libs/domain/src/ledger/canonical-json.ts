/**
 * Canonical JSON for hashing ledger rows: object keys sorted, no whitespace, `undefined` members
 * dropped, dates as ISO strings. The same value always gives the same text, so a hash over it
 * changes only when the content does. Non-finite numbers are refused: JSON cannot hold them and
 * a ledger must not silently turn them into null.
 */
export function canonicalJson(value: unknown): string {
  return write(value, '$');
}

function write(value: unknown, path: string): string {
  if (value === null) return 'null';
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new Error(`${path}: ${value} cannot be stored in the ledger`);
      return JSON.stringify(value);
    case 'object':
      return Array.isArray(value) ? writeArray(value, path) : writeObject(value as Record<string, unknown>, path);
    default:
      throw new Error(`${path}: a ${typeof value} cannot be stored in the ledger`);
  }
}

function writeArray(items: unknown[], path: string): string {
  return `[${items.map((item, i) => (item === undefined ? 'null' : write(item, `${path}[${i}]`))).join(',')}]`;
}

function writeObject(obj: Record<string, unknown>, path: string): string {
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${write(obj[k], `${path}.${k}`)}`).join(',')}}`;
}
