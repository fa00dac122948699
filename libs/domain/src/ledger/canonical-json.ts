/**
 * Canonical JSON for hashing ledger rows: object keys sorted, no whitespace, `undefined` members
 * dropped, dates as ISO strings. The same value always gives the same text, so a hash over it
 * changes only when the content does. Non-finite numbers are refused: JSON cannot hold them and
 * a ledger must not silently turn them into null.
 */
export function canonicalJson(value: unknown): string {
  return write(value, []);
}

/**
 * The path to the value being written, kept as a stack and only turned into text for an error:
 * building a path string for every member made hashing a 10,000-decision run take seconds.
 */
type Path = (string | number)[];

function pathText(path: Path): string {
  return `$${path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('')}`;
}

function write(value: unknown, path: Path): string {
  if (value === null) return 'null';
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new Error(`${pathText(path)}: ${value} cannot be stored in the ledger`);
      return JSON.stringify(value);
    case 'object':
      return Array.isArray(value) ? writeArray(value, path) : writeObject(value as Record<string, unknown>, path);
    default:
      throw new Error(`${pathText(path)}: a ${typeof value} cannot be stored in the ledger`);
  }
}

function writeArray(items: unknown[], path: Path): string {
  const parts = items.map((item, i) => {
    if (item === undefined) return 'null';
    path.push(i);
    const text = write(item, path);
    path.pop();
    return text;
  });
  return `[${parts.join(',')}]`;
}

function writeObject(obj: Record<string, unknown>, path: Path): string {
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
  const parts = keys.map((k) => {
    path.push(k);
    const text = `${JSON.stringify(k)}:${write(obj[k], path)}`;
    path.pop();
    return text;
  });
  return `{${parts.join(',')}}`;
}
