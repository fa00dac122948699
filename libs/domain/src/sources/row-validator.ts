/**
 * Types one raw row against a source schema: coercion per field type (CSV gives strings, JSON
 * gives JSON values), required, bounds and allowed values, then the keys an observation is
 * stored under. Compiled once per schema and run on every row of a batch, so the hot path keeps
 * to index loops and reuses the caller's output array instead of building objects.
 */
import type { FieldSpec, FieldType, ObservationRow, RowProblem, SourceSchema } from './source-schema';
import { exceedsBytes, MAX_KEY_BYTES, utf8Bytes } from './row-size';
import { canonicalIsoMs, parseTimestamp, TIMESTAMP_HINT } from './timestamps';

/** A typed field value; timestamps are canonical ISO-8601 strings (`2024-05-01T10:00:00.000Z`). */
export type TypedValue = string | number | boolean | null;

const INVALID = Symbol('invalid');
const DECIMAL = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;
const EPOCH_MS = /^\s*-?\d{1,16}\s*$/;
const MAX_EPOCH_MS = 8.64e15;

export class RowValidator {
  readonly fields: readonly FieldSpec[];
  readonly names: readonly string[];
  readonly timeIndex: number;
  readonly valueIndex: number;
  readonly uniqueIndexes: readonly number[];
  readonly seriesIndexes: readonly number[];
  readonly dimIndexes: readonly number[];
  /** Epoch ms of the time field of the last row typed without problems. */
  timeMs = 0;
  private readonly index: Map<string, number>;
  private readonly required: boolean[];
  private readonly allowed: (Set<string> | null)[];
  private readonly kinds: FieldType[];
  private reason = '';
  private lastMs = 0;
  private memo: { input: unknown; ms: number; iso: string } = { input: undefined, ms: 0, iso: '' };

  constructor(readonly schema: SourceSchema) {
    this.fields = schema.fields;
    this.names = schema.fields.map((f) => f.name);
    this.index = new Map(this.names.map((n, i) => [n, i]));
    this.kinds = schema.fields.map((f) => f.type);
    this.allowed = schema.fields.map((f) => (f.allowed ? new Set(f.allowed) : null));
    this.timeIndex = this.position(schema.timeField, 'timeField');
    this.valueIndex = schema.valueField ? this.position(schema.valueField, 'valueField') : -1;
    // Without a declared unique key, a series has one observation per instant.
    const unique = schema.uniqueKey.length > 0 ? schema.uniqueKey : [...schema.seriesKey, schema.timeField];
    this.uniqueIndexes = unique.map((n) => this.position(n, 'uniqueKey'));
    this.seriesIndexes = schema.seriesKey.map((n) => this.position(n, 'seriesKey'));
    this.dimIndexes = schema.dimensions.map((n) => this.position(n, 'dimensions'));
    // The time field and the unique key cannot be missing: they are how an observation is stored.
    this.required = schema.fields.map((f, i) => f.required || i === this.timeIndex || this.uniqueIndexes.includes(i));
    this.checkRoles();
  }

  /**
   * Types `values` into `out` (one slot per schema field). Returns null when the row is valid,
   * otherwise every problem found in it; `out` is then unusable.
   */
  typeRow(values: Record<string, unknown>, row: number, out: TypedValue[]): RowProblem[] | null {
    let problems: RowProblem[] | null = null;
    let present = 0;
    for (let k = 0; k < this.kinds.length; k++) {
      let v = values[this.names[k]];
      // Only own data counts: a field named like an Object.prototype member reads a function.
      if (typeof v === 'function') v = undefined;
      if (v !== undefined) present += 1;
      if (v === undefined || v === null || v === '') {
        if (this.required[k]) (problems ??= []).push({ row, field: this.names[k], reason: 'is required' });
        out[k] = null;
        continue;
      }
      const typed = this.coerce(k, v);
      if (typed === INVALID) (problems ??= []).push({ row, field: this.names[k], reason: this.reason });
      else out[k] = typed;
      if (k === this.timeIndex) this.timeMs = this.lastMs;
    }
    if (hasMoreKeysThan(values, present)) problems = this.unknownFields(values, row, problems);
    return problems;
  }

  /** Unambiguous: '|' separates the values, '\' escapes, and `\0` stands for null. */
  uniqueKey(typed: readonly TypedValue[]): string {
    const idx = this.uniqueIndexes;
    let key = keyPart(typed[idx[0]]);
    for (let i = 1; i < idx.length; i++) key += '|' + keyPart(typed[idx[i]]);
    return key;
  }

  /** The series key values joined with '|' (null as empty), e.g. 'A-1|store-2'. */
  seriesKey(typed: readonly TypedValue[]): string {
    const idx = this.seriesIndexes;
    if (idx.length === 0) return '';
    let key = seriesPart(typed[idx[0]]);
    for (let i = 1; i < idx.length; i++) key += '|' + seriesPart(typed[idx[i]]);
    return key;
  }

  /**
   * Keys too long for Postgres to index, as problems naming the longest field of each: such a row
   * is quarantined instead of failing the whole batch. Masking comes first (a hash is short).
   */
  oversizeKeys(typed: readonly TypedValue[], uniqueKey: string, seriesKey: string, row: number): RowProblem[] | null {
    let problems: RowProblem[] | null = null;
    for (const [which, key, idx] of [['unique', uniqueKey, this.uniqueIndexes], ['series', seriesKey, this.seriesIndexes]] as const) {
      if (!exceedsBytes(key, MAX_KEY_BYTES)) continue;
      const field = this.names[longest(typed, idx)];
      if (problems?.some((p) => p.field === field)) continue;
      (problems ??= []).push({ row, field, reason: `is too long for a key: it makes the ${which} key ${utf8Bytes(key)} bytes, and at most ${MAX_KEY_BYTES} can be indexed` });
    }
    return problems;
  }

  value(typed: readonly TypedValue[]): number | null {
    return this.valueIndex < 0 ? null : (typed[this.valueIndex] as number | null);
  }

  observation(typed: readonly TypedValue[]): ObservationRow {
    const dims: ObservationRow['dims'] = {};
    for (const k of this.dimIndexes) dims[this.names[k]] = typed[k];
    const record: Record<string, unknown> = {};
    for (let k = 0; k < this.names.length; k++) record[this.names[k]] = typed[k];
    return {
      uniqueKey: this.uniqueKey(typed), seriesKey: this.seriesKey(typed), dims,
      ts: typed[this.timeIndex] as string, value: this.value(typed), record,
    };
  }

  /** The simple form: one raw row to an observation or its problems (masking is the caller's step). */
  validate(values: Record<string, unknown>, row: number): { row: ObservationRow; problems: null } | { row: null; problems: RowProblem[] } {
    const typed: TypedValue[] = new Array(this.names.length);
    const problems = this.typeRow(values, row, typed);
    return problems ? { row: null, problems } : { row: this.observation(typed), problems: null };
  }

  private coerce(k: number, v: unknown): TypedValue | typeof INVALID {
    switch (this.kinds[k]) {
      case 'string': return this.toText(k, v);
      case 'number': return this.toNumber(k, v, false);
      case 'integer': return this.toNumber(k, v, true);
      case 'boolean': return this.toBoolean(v);
      case 'timestamp': return this.toTimestamp(v);
    }
  }

  private toText(k: number, v: unknown): string | typeof INVALID {
    if (typeof v === 'object') return this.fail(`expected a string, got ${kindOf(v)}`);
    const s = typeof v === 'string' ? v : String(v);
    if (!storable(s)) return this.fail('contains a NUL character or a lone UTF-16 surrogate, which cannot be stored');
    const allowed = this.allowed[k];
    if (allowed !== null && !allowed.has(s)) {
      return this.fail(`${this.shown(k, s)} is not one of the allowed values ${[...allowed].slice(0, 10).map((a) => JSON.stringify(a)).join(', ')}`);
    }
    return s;
  }

  private toNumber(k: number, v: unknown, integer: boolean): number | typeof INVALID {
    const wanted = integer ? 'an integer' : 'a number';
    let n: number;
    if (typeof v === 'number') n = v;
    else if (typeof v === 'string' && DECIMAL.test(v)) n = Number(v);
    else return this.fail(`expected ${wanted}, got ${typeof v === 'string' ? this.shown(k, v) : kindOf(v)}`);
    if (!Number.isFinite(n)) return this.fail(`expected ${wanted}, got a number out of range`);
    if (integer && !Number.isInteger(n)) return this.fail(`expected an integer, got ${this.shown(k, n)}`);
    const { min, max } = this.fields[k];
    if (min !== undefined && n < min) return this.fail(`${this.shown(k, n)} is below the minimum ${min}`);
    if (max !== undefined && n > max) return this.fail(`${this.shown(k, n)} is above the maximum ${max}`);
    return n;
  }

  private toBoolean(v: unknown): boolean | typeof INVALID {
    if (typeof v === 'boolean') return v;
    if (v === 1 || v === 0) return v === 1;
    if (typeof v === 'string') {
      const s = v.trim().toLowerCase();
      if (s === 'true' || s === '1') return true;
      if (s === 'false' || s === '0') return false;
    }
    return this.fail(`expected a boolean (true/false or 1/0), got ${typeof v === 'string' ? 'another string' : kindOf(v)}`);
  }

  private toTimestamp(v: unknown): string | typeof INVALID {
    // Rows of a batch often share their timestamp (one reading per series at each instant).
    if (v === this.memo.input) {
      this.lastMs = this.memo.ms;
      return this.memo.iso;
    }
    let ms: number;
    if (typeof v === 'number') ms = Number.isInteger(v) ? v : Number.NaN;
    else if (typeof v === 'string') ms = stringTimestampMs(v);
    else return this.fail(`expected ${TIMESTAMP_HINT}, got ${kindOf(v)}`);
    if (!(Math.abs(ms) <= MAX_EPOCH_MS)) {
      return this.fail(`expected ${TIMESTAMP_HINT}, got ${typeof v === 'string' ? JSON.stringify(clip(v)) : String(v)}`);
    }
    // Text already in canonical form is its own ISO string: no new string per row.
    const iso = typeof v === 'string' && v.length === 24 && v.charCodeAt(23) === 0x5a && v.charCodeAt(19) === 0x2e ? v : new Date(ms).toISOString();
    this.memo = { input: v, ms, iso };
    this.lastMs = ms;
    return iso;
  }

  private fail(reason: string): typeof INVALID {
    this.reason = reason;
    return INVALID;
  }

  /** A value for a message; a personal field's value is never echoed. */
  private shown(k: number, v: string | number): string {
    if (this.fields[k].personal) return 'the value';
    return typeof v === 'string' ? JSON.stringify(clip(v)) : String(v);
  }

  private unknownFields(values: Record<string, unknown>, row: number, problems: RowProblem[] | null): RowProblem[] | null {
    for (const key of Object.keys(values)) {
      if (!this.index.has(key)) (problems ??= []).push({ row, field: key, reason: 'is not a field of the source schema' });
    }
    return problems;
  }

  /** The stored columns need their types; a schema breaking this never reaches a row. */
  private checkRoles(): void {
    const time = this.fields[this.timeIndex];
    if (time.type !== 'timestamp' || time.personal) throw new Error(`Schema timeField "${time.name}" must be a timestamp field that is not personal`);
    const value = this.valueIndex < 0 ? null : this.fields[this.valueIndex];
    if (value && ((value.type !== 'number' && value.type !== 'integer') || value.personal)) {
      throw new Error(`Schema valueField "${value.name}" must be a number or integer field that is not personal`);
    }
  }

  private position(name: string, role: string): number {
    const i = this.index.get(name);
    if (i === undefined) throw new Error(`Schema ${role} names "${name}", which is not one of its fields`);
    return i;
  }
}

function hasMoreKeysThan(values: Record<string, unknown>, present: number): boolean {
  let keys = 0;
  for (const key in values) if (Object.hasOwn(values, key) && ++keys > present) return true;
  return false;
}

/** Index (into `typed`) of the longest value among `idx`. */
function longest(typed: readonly TypedValue[], idx: readonly number[]): number {
  let best = idx[0];
  for (const k of idx) if (String(typed[k] ?? '').length > String(typed[best] ?? '').length) best = k;
  return best;
}

function stringTimestampMs(s: string): number {
  const canonical = canonicalIsoMs(s);
  if (!Number.isNaN(canonical)) return canonical;
  return EPOCH_MS.test(s) ? Number(s) : parseTimestamp(s);
}

function storable(s: string): boolean {
  return !s.includes('\0') && (s as string & { isWellFormed(): boolean }).isWellFormed();
}

function keyPart(v: TypedValue): string {
  if (v === null) return '\\0';
  const s = typeof v === 'string' ? v : String(v);
  return s.includes('\\') || s.includes('|') ? s.replace(/[\\|]/g, '\\$&') : s;
}

function seriesPart(v: TypedValue): string {
  return v === null ? '' : typeof v === 'string' ? v : String(v);
}

function kindOf(v: unknown): string {
  if (Array.isArray(v)) return 'an array';
  if (v === null) return 'null';
  if (typeof v === 'object') return 'an object';
  return typeof v === 'boolean' ? `a boolean (${v})` : typeof v === 'number' ? `a number (${v})` : `a ${typeof v}`;
}

function clip(s: string): string {
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}
