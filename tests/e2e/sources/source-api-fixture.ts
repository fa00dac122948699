/** A test API with viewer and operator keys, and source definitions the sources API specs start from. */
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { SecretBox } from '@opsloop/config';
import { bearer, startTestApi, TestApi } from '../../support/test-apps';

export type Headers = Record<string, string>;
export type Body = Record<string, unknown>;

export interface SourcesFixture {
  api: TestApi;
  admin: Headers;
  operator: Headers;
  viewer: Headers;
  db: DataSource;
  box: SecretBox;
  close(): Promise<void>;
}

/**
 * api.example.com (http) and db.internal (postgres) are the only outbound hosts, so sources of
 * either kind have one host allowed and others refused.
 */
export const SOURCES_OUTBOUND = 'api.example.com,db.internal';

export async function startSourcesApi(): Promise<SourcesFixture> {
  const api = await startTestApi({ OUTBOUND_ALLOWED_HOSTS: SOURCES_OUTBOUND });
  const admin = bearer(api.adminKey);
  const keyFor = async (role: 'viewer' | 'operator') => {
    const res = await api.http().post('/api/v1/api-keys').set(admin).send({ name: `${role} for sources spec ${randomUUID()}`, role });
    return bearer(res.body.key as string);
  };
  return {
    api, admin, operator: await keyFor('operator'), viewer: await keyFor('viewer'),
    db: api.app.get(DataSource), box: api.app.get(SecretBox),
    close: () => api.close(),
  };
}

export const uniqueName = (label = 'source') => `${label} ${randomUUID()}`;

/** Daily unit sales per sku and store, with a personal contact field. */
export function salesSchema(): Body & { fields: Body[] } {
  return {
    fields: [
      { name: 'sku', type: 'string', required: true },
      { name: 'store', type: 'string', required: true, allowed: ['north', 'south'] },
      { name: 'day', type: 'timestamp', required: true },
      { name: 'units', type: 'integer', required: true, min: 0, max: 100_000 },
      { name: 'contact_email', type: 'string', required: false, personal: 'hash' },
    ],
    uniqueKey: ['sku', 'store', 'day'],
    timeField: 'day',
    seriesKey: ['sku', 'store'],
    valueField: 'units',
    dimensions: ['store'],
  };
}

export function pushSource(extra: Body = {}): Body {
  return { name: uniqueName('push'), kind: 'push', schema: salesSchema(), ...extra };
}

export const PG_PASSWORD = 'pw-Sealed-7f3a9c';
export const PG_CONNECTION = `postgres://reader:${PG_PASSWORD}@db.internal:5432/sales`;
export const HTTP_TOKEN = 'Bearer tok-Sealed-41d2e8';

export function postgresSource(extra: Body = {}): Body {
  return {
    name: uniqueName('postgres'), kind: 'postgres', schema: salesSchema(),
    config: { query: 'SELECT sku, store, day, units FROM sales WHERE day >= $1', params: ['2025-01-01'] },
    secret: { connectionString: PG_CONNECTION },
    ...extra,
  };
}

export function httpSource(extra: Body = {}): Body {
  return {
    name: uniqueName('http'), kind: 'http', schema: salesSchema(),
    config: { url: 'https://api.example.com/sales', itemsPath: 'data.items' },
    secret: { headers: { Authorization: HTTP_TOKEN } },
    ...extra,
  };
}

export function fieldsOf(body: { errors?: { field: string }[] }): string[] {
  return (body.errors ?? []).map((e) => e.field);
}
