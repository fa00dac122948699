/**
 * The one TypeORM configuration, shared by the API, the worker, the tests and the migration CLI.
 * Schema changes go through migrations only; `synchronize` stays off.
 */
import { DataSourceOptions } from 'typeorm';
import { ParameterFreeQueryLogger } from './query-error-logger';
import { ApiKeyEntity } from './entities/api-key.entity';
import { RoundTripEntity } from './entities/round-trip.entity';
import { Foundation1763900000000 } from './migrations/1763900000000-Foundation';
import { Engine1764000000000 } from './migrations/1764000000000-Engine';
import { Sources1765000000000 } from './migrations/1765000000000-Sources';
import { AlertLabels1766000000000 } from './migrations/1766000000000-AlertLabels';
import { Metrics1766500000000 } from './migrations/1766500000000-Metrics';
import { RunPhases1767100000000 } from './migrations/1767100000000-RunPhases';
import { ApiKeyNames1767200000000 } from './migrations/1767200000000-ApiKeyNames';
import { AppendOnly1767900000000 } from './migrations/1767900000000-AppendOnly';
import { Approvals1768100000000 } from './migrations/1768100000000-Approvals';
import { ActionIntents1768400000000 } from './migrations/1768400000000-ActionIntents';
import { Durability1768600000000 } from './migrations/1768600000000-Durability';

export const ENTITIES = [ApiKeyEntity, RoundTripEntity];
export const MIGRATIONS = [Foundation1763900000000, Engine1764000000000, Sources1765000000000, AlertLabels1766000000000, Metrics1766500000000, RunPhases1767100000000, ApiKeyNames1767200000000, AppendOnly1767900000000, Approvals1768100000000,
  ActionIntents1768400000000, Durability1768600000000];

export function dataSourceOptions(databaseUrl: string, poolSize = 10): DataSourceOptions {
  return {
    type: 'postgres',
    url: databaseUrl,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'opsloop_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    logging: ['error'],
    // Failed queries are logged without their parameters, which may hold credentials or raw rows.
    logger: new ParameterFreeQueryLogger(),
    extra: { max: poolSize, application_name: 'opsloop' },
  };
}
