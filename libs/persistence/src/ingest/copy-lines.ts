/**
 * Rows of the ingest staging table in COPY text format. One line per valid row (`o`) or per
 * row problem (`q`): tab-separated, `\N` for NULL, and backslash, tab, newline and carriage
 * return escaped, so any value survives the trip. JSON is written by hand from the typed row
 * (schema keys precomputed) because JSON.stringify of a fresh object per row costs more.
 */
import type { RowProblem, RowValidator, TypedValue } from '@opsloop/domain';

/** Column order of the staging table (see ingest-sql.ts). */
export const STAGE_COLUMNS = ['kind', 'row_no', 'unique_key', 'series_key', 'dims', 'ts', 'value', 'record', 'field', 'reason'] as const;

const NULL = '\\N';
const NEEDS_COPY_ESCAPE = /[\\\n\r\t\0]/;
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\0': '' };
// Control characters are exactly what JSON must escape.
// eslint-disable-next-line no-control-regex
const NEEDS_JSON_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** A text column value; NUL cannot be stored in Postgres text and is dropped. */
export function copyText(s: string): string {
  return NEEDS_COPY_ESCAPE.test(s) ? s.replace(/[\\\n\r\t\0]/g, (c) => COPY_ESCAPES[c]!) : s;
}

/** JSON text: it has no raw control characters, only backslashes to double. */
function copyJson(json: string): string {
  return json.includes('\\') ? json.replace(/\\/g, '\\\\') : json;
}

export function jsonString(s: string): string {
  return NEEDS_JSON_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`;
}

function jsonValue(v: TypedValue): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return jsonString(v);
  return String(v); // finite numbers and booleans: the validator guarantees it
}

export class CopyLines {
  private readonly recordKeys: string[];
  private readonly dimKeys: string[];

  constructor(private readonly validator: RowValidator) {
    this.recordKeys = validator.names.map((n, k) => `${k === 0 ? '{' : ','}${jsonString(n)}:`);
    this.dimKeys = validator.dimIndexes.map((k, i) => `${i === 0 ? '{' : ','}${jsonString(validator.names[k]!)}:`);
  }

  /** One valid, masked, typed row. */
  observation(row: number, typed: readonly TypedValue[], uniqueKey: string, seriesKey: string): string {
    const v = this.validator;
    const value = v.value(typed);
    return `o\t${row}\t${copyText(uniqueKey)}\t${copyText(seriesKey)}\t${copyJson(this.dims(typed))}\t${typed[v.timeIndex] as string}\t${value === null ? NULL : value}\t${copyJson(this.record(typed))}\t${NULL}\t${NULL}\n`;
  }

  /** One problem of a bad row, with the row as received (personal fields already treated). */
  quarantine(problem: RowProblem, raw: Record<string, unknown>): string {
    const field = problem.field === null ? NULL : copyText(problem.field);
    return `q\t${problem.row}\t${NULL}\t${NULL}\t${NULL}\t${NULL}\t${NULL}\t${copyJson(storableJson(raw))}\t${field}\t${copyText(problem.reason)}\n`;
  }

  record(typed: readonly TypedValue[]): string {
    let json = '';
    for (let k = 0; k < this.recordKeys.length; k++) json += this.recordKeys[k] + jsonValue(typed[k]!);
    return json === '' ? '{}' : `${json}}`;
  }

  dims(typed: readonly TypedValue[]): string {
    const idx = this.validator.dimIndexes;
    let json = '';
    for (let i = 0; i < idx.length; i++) json += this.dimKeys[i] + jsonValue(typed[idx[i]!]!);
    return json === '' ? '{}' : `${json}}`;
  }
}

/** jsonb refuses \u0000 and lone surrogates anywhere, in keys too: a raw row keeps everything else. */
export function storableJson(raw: unknown): string {
  return JSON.stringify(withoutNul(raw)) ?? 'null';
}

function withoutNul(v: unknown): unknown {
  if (typeof v === 'string') return storableText(v);
  if (Array.isArray(v)) return v.map(withoutNul);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [storableText(k), withoutNul(x)]));
  return v;
}

function storableText(s: string): string {
  const text = s as string & { toWellFormed(): string };
  return text.toWellFormed().replace(/\0/g, '\uFFFD');
}
