/**
 * Checks forecast requests from outside (CLI stdin, API bodies) and turns them into typed
 * requests with defaults applied. Every refusal is a ForecastInputError naming the exact field
 * (`[3].values[7]`), so a caller can fix the one value that is wrong.
 */
export const FORECAST_METHODS = [
  'naive',
  'seasonal-naive',
  'ses',
  'holt',
  'holt-damped',
  'holt-winters-additive',
  'holt-winters-multiplicative',
  'holt-winters-additive-damped',
  'holt-winters-multiplicative-damped',
  'theta',
  'combination',
  'croston',
  'sba',
] as const;

export type ForecastMethodName = (typeof FORECAST_METHODS)[number];
export type ForecastLevel = 0.8 | 0.95;

export interface ForecastRequest {
  values: number[];
  horizon: number;
  /** Season length; absent = detect it, 1 = no season. */
  seasonPeriod?: number;
  method: 'auto' | ForecastMethodName;
  level: ForecastLevel;
}

export class ForecastInputError extends Error {
  override readonly name = 'ForecastInputError';

  constructor(
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${field}: ${problem}`);
  }
}

// Bounds that keep one request from exhausting memory; far beyond any real planning horizon.
export const MAX_HORIZON = 10_000;
export const MAX_VALUES = 1_000_000;
const LEVELS: readonly number[] = [0.8, 0.95];
const FIELDS = new Set(['values', 'horizon', 'seasonPeriod', 'method', 'level']);

const fieldName = (path: string, field: string) => (path ? `${path}.${field}` : field);

function isRecord(raw: unknown): raw is Record<string, unknown> {
  return typeof raw === 'object' && raw !== null && !Array.isArray(raw);
}

function checkValues(raw: unknown, field: string): number[] {
  if (!Array.isArray(raw)) throw new ForecastInputError(field, 'must be an array of numbers');
  if (raw.length === 0) throw new ForecastInputError(field, 'must not be empty');
  if (raw.length > MAX_VALUES) throw new ForecastInputError(field, `must have at most ${MAX_VALUES} values`);
  raw.forEach((v, i) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new ForecastInputError(`${field}[${i}]`, 'must be a finite number');
  });
  return raw as number[];
}

function checkHorizon(raw: unknown, field: string): number {
  if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 1) {
    throw new ForecastInputError(field, 'must be a positive integer');
  }
  if (raw > MAX_HORIZON) throw new ForecastInputError(field, `must be at most ${MAX_HORIZON}`);
  return raw;
}

function checkSeasonPeriod(raw: unknown, field: string, length: number): number | undefined {
  if (raw === undefined) return undefined;
  const ok = typeof raw === 'number' && Number.isInteger(raw) && (raw === 1 || (raw >= 2 && raw < length));
  if (!ok) throw new ForecastInputError(field, 'must be an integer ≥ 2 and < values.length (or 1 for no season)');
  return raw as number;
}

function checkMethod(raw: unknown, field: string): ForecastRequest['method'] {
  if (raw === undefined) return 'auto';
  if (raw === 'auto' || (FORECAST_METHODS as readonly unknown[]).includes(raw)) return raw as ForecastRequest['method'];
  throw new ForecastInputError(field, `unknown method ${JSON.stringify(raw)}; use auto or one of ${FORECAST_METHODS.join(', ')}`);
}

function checkLevel(raw: unknown, field: string): ForecastLevel {
  if (raw === undefined) return 0.95;
  if (typeof raw === 'number' && LEVELS.includes(raw)) return raw as ForecastLevel;
  throw new ForecastInputError(field, 'must be 0.8 or 0.95');
}

/** One request; `path` prefixes field names (e.g. `[3]` for the fourth request of a batch). */
export function checkForecastRequest(raw: unknown, path = ''): ForecastRequest {
  if (!isRecord(raw)) throw new ForecastInputError(path || '(request)', 'must be an object with values and horizon');
  const unknown = Object.keys(raw).find((k) => !FIELDS.has(k));
  if (unknown !== undefined) throw new ForecastInputError(fieldName(path, unknown), 'is not a forecast request field');
  const values = checkValues(raw.values, fieldName(path, 'values'));
  const request: ForecastRequest = {
    values,
    horizon: checkHorizon(raw.horizon, fieldName(path, 'horizon')),
    method: checkMethod(raw.method, fieldName(path, 'method')),
    level: checkLevel(raw.level, fieldName(path, 'level')),
  };
  const seasonPeriod = checkSeasonPeriod(raw.seasonPeriod, fieldName(path, 'seasonPeriod'), values.length);
  if (seasonPeriod !== undefined) request.seasonPeriod = seasonPeriod;
  return request;
}

/** An array of requests, each checked with its index as the path. */
export function checkForecastBatch(raw: unknown): ForecastRequest[] {
  if (!Array.isArray(raw)) throw new ForecastInputError('(batch)', 'must be an array of forecast requests');
  return raw.map((r, i) => checkForecastRequest(r, `[${i}]`));
}
