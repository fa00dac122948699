/**
 * Everything about a source definition the DTO decorators cannot see: the schema's parts refer to
 * declared fields of the right types, bounds and allowed lists sit on fields they fit, and the
 * kind's config and secret are valid (checkSourceConfig). Runs before anything is stored.
 */
import { Inject, Injectable } from '@nestjs/common';
import { ApiEnv, FieldError } from '@opsloop/config';
import { checkSourceConfig, OutboundHttp, PostgresTargetPolicy } from '@opsloop/connectors';
import { FieldSpec, SourceKind, SourceSchema } from '@opsloop/domain';
import { API_ENV } from '../api-env';

const NUMERIC = new Set(['number', 'integer']);

@Injectable()
export class SourceDefinitionCheck {
  private readonly postgres: PostgresTargetPolicy;

  constructor(
    private readonly http: OutboundHttp,
    @Inject(API_ENV) private readonly env: ApiEnv,
  ) {
    this.postgres = PostgresTargetPolicy.fromEnv(http.policy, env);
  }

  /** `secret` undefined means "not given" (a PATCH keeping the stored one); `hasStoredSecret` says whether one exists. */
  check(d: { kind: SourceKind; schema: SourceSchema; config: Record<string, unknown>; secret: unknown; hasStoredSecret: boolean }): FieldError[] {
    return [...schemaProblems(d.schema), ...this.configProblems(d)];
  }

  private configProblems(d: { kind: SourceKind; config: Record<string, unknown>; secret: unknown; hasStoredSecret: boolean }): FieldError[] {
    const csvRoot = this.env.OPSLOOP_CSV_ROOT ?? null;
    const errors = checkSourceConfig(d.kind, d.config, d.secret ?? null, this.http.policy, csvRoot, this.postgres);
    // A PATCH that leaves the secret out keeps the sealed one, which was checked when it was stored.
    const keepsStored = d.secret === undefined && d.hasStoredSecret;
    return keepsStored ? errors.filter((e) => e.field !== 'secret' && !e.field.startsWith('secret.')) : errors;
  }
}

/** Field errors for a schema whose shape already passed the DTO (paths as the DTO pipe writes them). */
export function schemaProblems(schema: SourceSchema): FieldError[] {
  const errors: FieldError[] = [];
  const add = (field: string, message: string) => errors.push({ field, messages: [message] });
  const byName = new Map<string, FieldSpec>();
  schema.fields.forEach((f, i) => {
    if (byName.has(f.name)) add(`schema.fields.${i}.name`, `field name "${f.name}" is declared twice`);
    else byName.set(f.name, f);
    fieldSpecProblems(f).forEach(([prop, message]) => add(`schema.fields.${i}.${prop}`, message));
  });
  const refs = referenceProblems(schema, byName);
  for (const [field, message] of refs) add(field, message);
  return errors;
}

function fieldSpecProblems(f: FieldSpec): [string, string][] {
  const problems: [string, string][] = [];
  const numeric = NUMERIC.has(f.type);
  if (f.min !== undefined && !numeric) problems.push(['min', `min applies to number and integer fields; "${f.name}" is ${f.type}`]);
  if (f.max !== undefined && !numeric) problems.push(['max', `max applies to number and integer fields; "${f.name}" is ${f.type}`]);
  if (numeric && f.min !== undefined && f.max !== undefined && f.min > f.max) {
    problems.push(['min', `min (${f.min}) must not be greater than max (${f.max}) on "${f.name}"`]);
  }
  if (f.allowed !== undefined && f.type !== 'string') problems.push(['allowed', `allowed applies to string fields; "${f.name}" is ${f.type}`]);
  return problems;
}

function referenceProblems(schema: SourceSchema, byName: Map<string, FieldSpec>): [string, string][] {
  const problems: [string, string][] = [];
  const lists: [string, string[]][] = [['uniqueKey', schema.uniqueKey], ['seriesKey', schema.seriesKey], ['dimensions', schema.dimensions]];
  for (const [path, names] of lists) {
    const unknown = names.filter((n) => !byName.has(n));
    if (unknown.length > 0) problems.push([`schema.${path}`, `schema.${path} names undeclared fields: ${unknown.join(', ')}`]);
    const twice = names.filter((n, i) => names.indexOf(n) !== i);
    if (twice.length > 0) problems.push([`schema.${path}`, `schema.${path} lists ${[...new Set(twice)].join(', ')} more than once`]);
  }
  problems.push(...timeFieldProblems(schema.timeField, byName.get(schema.timeField)));
  if (schema.valueField !== undefined) problems.push(...valueFieldProblems(schema.valueField, byName.get(schema.valueField)));
  return problems;
}

function timeFieldProblems(name: string, field: FieldSpec | undefined): [string, string][] {
  if (!field) return [['schema.timeField', `schema.timeField names undeclared field "${name}"`]];
  if (field.type !== 'timestamp') return [['schema.timeField', `schema.timeField must be a timestamp field; "${name}" is ${field.type}`]];
  if (field.personal) return [['schema.timeField', `schema.timeField cannot be a personal field ("${name}" is stored ${field.personal}ed)`]];
  return [];
}

function valueFieldProblems(name: string, field: FieldSpec | undefined): [string, string][] {
  if (!field) return [['schema.valueField', `schema.valueField names undeclared field "${name}"`]];
  if (!NUMERIC.has(field.type)) return [['schema.valueField', `schema.valueField must be a number or integer field; "${name}" is ${field.type}`]];
  if (field.personal) return [['schema.valueField', `schema.valueField cannot be a personal field ("${name}" is stored ${field.personal}ed)`]];
  return [];
}

/** The parts of a schema that make up a stored row's identity; fixed once observations exist. */
export function identityChanges(before: SourceSchema, after: SourceSchema): string[] {
  const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((v, i) => v === b[i]);
  const changed: string[] = [];
  if (!same(before.uniqueKey, after.uniqueKey)) changed.push('uniqueKey');
  if (before.timeField !== after.timeField) changed.push('timeField');
  if (!same(before.seriesKey, after.seriesKey)) changed.push('seriesKey');
  return changed;
}
