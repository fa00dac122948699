/**
 * What each kind of source may be configured with, and the check the API runs before a source
 * is stored. Config is plain settings; the secret (connection string, auth headers) is sealed by
 * the caller and never echoed back, so errors name its fields but never repeat its values.
 */
import { plainToInstance, Type } from 'class-transformer';
import {
  IsIn, IsInt, IsNotEmpty, IsObject, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateIf, ValidateNested, validateSync,
  ValidationArguments, ValidatorConstraint, ValidatorConstraintInterface, Validate, IsArray, ArrayMaxSize,
} from 'class-validator';
import type { FieldError } from '@opsloop/config';
import { flattenValidationErrors } from '@opsloop/config';
import type { SourceKind } from '@opsloop/domain';
import type { OutboundPolicy } from '../http/allowed-hosts';
import { PostgresTargetPolicy } from './postgres-target';
import { CSV_ENCODINGS, CsvEncoding } from './csv-records';
import { notAReadingQuery, outsideEffectCall } from './sql-guard';


const DOT_PATH = /^[A-Za-z0-9_$-]+(\.[A-Za-z0-9_$-]+)*$/;
const DOT_PATH_MESSAGE = '$property must be a dotted path like data.items';
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;

/** `{ key: 'string' }` maps (fieldMap, headerMap, headers): class-validator has no built-in for them. */
@ValidatorConstraint({ name: 'stringMap' })
class StringMapConstraint implements ValidatorConstraintInterface {
  validate(value: unknown, args: ValidationArguments): boolean {
    const [valuePattern, , keyPattern] = args.constraints as [RegExp | undefined, string, RegExp | undefined];
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
    const entries = Object.entries(value as Record<string, unknown>);
    return entries.length <= 500 && entries.every(([k, v]) =>
      k.length > 0 && (!keyPattern || keyPattern.test(k)) && typeof v === 'string' && v.length > 0 && (!valuePattern || valuePattern.test(v)));
  }
  defaultMessage(args: ValidationArguments): string {
    const [, what] = args.constraints as [RegExp | undefined, string];
    return `${args.property} must be an object mapping names to ${what}`;
  }
}

@ValidatorConstraint({ name: 'scalarList' })
class ScalarListConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return Array.isArray(value) && value.every((v) => v === null || ['string', 'boolean'].includes(typeof v) || (typeof v === 'number' && Number.isFinite(v)));
  }
  defaultMessage(args: ValidationArguments): string {
    return `${args.property} must hold only strings, finite numbers, booleans or null`;
  }
}

/** One delimiter character; the parser treats anything longer as a record separator bug. */
class CsvOptions {
  @IsOptional() @IsString() @Matches(/^[^\r\n"]$/u, { message: 'delimiter must be one character (not a quote or line break)' })
  delimiter?: string;

  @IsOptional() @IsIn(CSV_ENCODINGS)
  encoding?: CsvEncoding;

  /** `{ "CSV header": "schemaField" }`, for files whose headers differ from the schema. */
  @IsOptional() @Validate(StringMapConstraint, [undefined, 'schema field names'])
  headerMap?: Record<string, string>;
}

export class PushSourceConfig extends CsvOptions {
  @IsOptional() @IsInt() @Min(1) @Max(10_000_000)
  maxBatchRows?: number;
}

export class CsvSourceConfig extends CsvOptions {
  /** Relative to OPSLOOP_CSV_ROOT; absent for a csv source that only takes uploads. */
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(1000)
  path?: string;
}

export class PostgresSourceConfig {
  @IsString() @IsNotEmpty() @MaxLength(100_000)
  query!: string;

  @IsOptional() @IsArray() @ArrayMaxSize(100) @Validate(ScalarListConstraint)
  params?: (string | number | boolean | null)[];

  @IsOptional() @IsInt() @Min(100) @Max(600_000)
  statementTimeoutMs = 10_000;

  @IsOptional() @IsInt() @Min(1) @Max(5_000_000)
  rowLimit = 100_000;
}

export class PostgresSourceSecret {
  @IsString() @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'connectionString must be a postgres:// or postgresql:// URL' })
  connectionString!: string;
}

export const PAGINATION_TYPES = ['next-url', 'page', 'cursor'] as const;

/** One class for the three pagination styles; `checkPagination` refuses fields of another style. */
export class HttpPagination {
  @IsIn(PAGINATION_TYPES)
  type!: (typeof PAGINATION_TYPES)[number];

  /** next-url: where the reply names the next page's URL (absolute, or relative to the current one). */
  @ValidateIf((p: HttpPagination) => p.type === 'next-url') @Matches(DOT_PATH, { message: DOT_PATH_MESSAGE })
  nextPath?: string;

  /** cursor: where the reply names the cursor for the next request. */
  @ValidateIf((p: HttpPagination) => p.type === 'cursor') @Matches(DOT_PATH, { message: DOT_PATH_MESSAGE })
  cursorPath?: string;

  /** page and cursor: the query parameter that carries the page number or cursor. */
  @ValidateIf((p: HttpPagination) => p.type === 'page' || p.type === 'cursor') @IsString() @Matches(/^[A-Za-z0-9_.\-[\]]+$/, { message: 'param must be a query parameter name' })
  param?: string;

  /** page: the first page number (default 1). */
  @IsOptional() @IsInt() @Min(0)
  start?: number;

  /** Hard cap: more pages than this fail the pull rather than silently cutting data off. Optional for next-url (default 100). */
  @ValidateIf((p: HttpPagination) => p.type !== 'next-url' || p.maxPages !== undefined) @IsInt() @Min(1) @Max(10_000)
  maxPages?: number;
}

export class HttpSourceConfig {
  @IsString() @IsNotEmpty() @MaxLength(2000)
  url!: string;

  /** Where the array of items sits in the reply; without it the reply itself must be an array. */
  @IsOptional() @Matches(DOT_PATH, { message: DOT_PATH_MESSAGE })
  itemsPath?: string;

  /** `{ schemaField: 'dot.path' }` inside each item; unmapped schema fields are read by their own name. */
  @IsOptional() @Validate(StringMapConstraint, [DOT_PATH, 'dotted paths inside an item'])
  fieldMap?: Record<string, string>;

  @IsOptional() @ValidateNested() @Type(() => HttpPagination)
  pagination?: HttpPagination;

  @IsOptional() @IsInt() @Min(100) @Max(120_000)
  timeoutMs = 10_000;

  /** Extra attempts per request after a 5xx, 408/429, timeout or connection error. */
  @IsOptional() @IsInt() @Min(0) @Max(10)
  retries = 2;
}

export class HttpSourceSecret {
  /** Sent with every request (e.g. Authorization); never logged, never returned. */
  @IsObject() @Validate(StringMapConstraint, [/^[\t\x20-\x7e\x80-\xff]+$/, 'single-line header values (visible characters)', HEADER_NAME])
  headers!: Record<string, string>;
}

const CONFIG_TYPES = { push: PushSourceConfig, postgres: PostgresSourceConfig, http: HttpSourceConfig, csv: CsvSourceConfig } as const;
const SECRET_TYPES: Partial<Record<SourceKind, new () => object>> = { postgres: PostgresSourceSecret, http: HttpSourceSecret };

export type SourceConfigOf<K extends SourceKind> = InstanceType<(typeof CONFIG_TYPES)[K]>;

/** The config with defaults filled in; call after `checkSourceConfig` found no problem. */
export function parseSourceConfig<K extends SourceKind>(kind: K, config: unknown): SourceConfigOf<K> {
  return plainToInstance(CONFIG_TYPES[kind] as new () => object, (config ?? {}) as object) as SourceConfigOf<K>;
}

/**
 * Every problem with a source's config and secret, as field errors (`config.url`,
 * `secret.connectionString`, ...). `csvRoot` is OPSLOOP_CSV_ROOT; pass null when it is unset so a
 * csv source with a path is refused up front (left out, only the path's shape is checked).
 * `postgres` checks where a postgres source connects: its host against the allow-list, and, when
 * built from the env (`PostgresTargetPolicy.fromEnv`), opsloop's own database; the default checks
 * the host only.
 */
export function checkSourceConfig(
  kind: SourceKind, config: unknown, secret: unknown, allowed: OutboundPolicy, csvRoot?: string | null,
  postgres: PostgresTargetPolicy = new PostgresTargetPolicy(allowed, null),
): FieldError[] {
  const configErrors = validateObject(CONFIG_TYPES[kind], config ?? {}, 'config');
  const secretErrors = checkSecret(kind, secret);
  const errors = [...configErrors, ...secretErrors];
  if (configErrors.length > 0) return errors;
  if (kind === 'http') errors.push(...checkHttp(config as HttpSourceConfig, allowed));
  if (kind === 'postgres') errors.push(...checkQuery(config as PostgresSourceConfig));
  if (kind === 'postgres' && secretErrors.length === 0) {
    const problem = postgres.problem((secret as PostgresSourceSecret).connectionString);
    if (problem) errors.push({ field: 'secret.connectionString', messages: [`secret.connectionString ${problem}`] });
  }
  if (kind === 'csv') errors.push(...checkCsvPath((config as CsvSourceConfig).path, csvRoot));
  return errors;
}

function checkSecret(kind: SourceKind, secret: unknown): FieldError[] {
  const type = SECRET_TYPES[kind];
  if (secret === undefined || secret === null) {
    return kind === 'postgres' ? [{ field: 'secret.connectionString', messages: ['secret.connectionString is required for postgres sources'] }] : [];
  }
  if (!type) return [{ field: 'secret', messages: [`${kind} sources take no secret`] }];
  return validateObject(type, secret, 'secret');
}

function validateObject(type: new () => object, raw: unknown, prefix: string): FieldError[] {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return [{ field: prefix, messages: [`${prefix} must be an object`] }];
  const instance = plainToInstance(type, raw);
  return flattenValidationErrors(validateSync(instance, { whitelist: true, forbidNonWhitelisted: true }), prefix);
}

function checkHttp(config: HttpSourceConfig, allowed: OutboundPolicy): FieldError[] {
  const errors: FieldError[] = [];
  const problem = allowed.problem(config.url);
  if (problem) errors.push({ field: 'config.url', messages: [`config.url ${problem}`] });
  const p = config.pagination;
  if (p) {
    const own: Record<string, string[]> = { 'next-url': ['nextPath', 'maxPages'], page: ['param', 'start', 'maxPages'], cursor: ['cursorPath', 'param', 'maxPages'] };
    for (const key of Object.keys(p).filter((k) => k !== 'type' && !own[p.type]!.includes(k))) {
      errors.push({ field: `config.pagination.${key}`, messages: [`config.pagination.${key} does not apply to ${p.type} pagination`] });
    }
  }
  return errors;
}

function checkQuery(config: PostgresSourceConfig): FieldError[] {
  const notRead = notAReadingQuery(config.query);
  if (notRead) return [{ field: 'config.query', messages: [`config.query: ${notRead}`] }];
  const call = outsideEffectCall(config.query);
  return call ? [{ field: 'config.query', messages: [`config.query calls ${call}(), which has effects outside a read-only transaction`] }] : [];
}

/** Relative, no `..`, nothing that could leave the root once joined. Symlinks are checked at read time. */
export function csvPathProblem(path: string): string | null {
  if (path.includes('\0')) return 'must not contain NUL characters';
  if (path.startsWith('/') || path.startsWith('\\') || /^[A-Za-z]:/.test(path)) return 'must be relative to OPSLOOP_CSV_ROOT';
  if (path.split(/[\\/]/).includes('..')) return 'must not contain ".." segments';
  return null;
}

function checkCsvPath(path: string | undefined, csvRoot: string | null | undefined): FieldError[] {
  if (path === undefined) return [];
  if (csvRoot === null) return [{ field: 'config.path', messages: ['config.path cannot be used: OPSLOOP_CSV_ROOT is not set, so csv sources may not read files'] }];
  const problem = csvPathProblem(path);
  return problem ? [{ field: 'config.path', messages: [`config.path ${problem}`] }] : [];
}
