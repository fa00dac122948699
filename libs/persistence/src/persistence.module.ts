/** Nest wiring: one DataSource (migrated at start) and the repository ports bound to TypeORM. */
import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options';
import { openDataSource } from './migrate';
import { ApiKeyRepository, TypeOrmApiKeyRepository } from './repositories/api-key.repository';
import { RoundTripRepository, TypeOrmRoundTripRepository } from './repositories/round-trip.repository';

@Module({})
export class PersistenceModule {
  static forRoot(databaseUrl: string): DynamicModule {
    return {
      module: PersistenceModule,
      global: true,
      imports: [
        TypeOrmModule.forRootAsync({
          // Few retries: a wrong DATABASE_URL should stop start-up quickly with the real error.
          useFactory: () => ({ ...dataSourceOptions(databaseUrl), retryAttempts: 2, retryDelay: 1000 }),
          // Migrations run here, at start, under a lock; never `synchronize`.
          dataSourceFactory: async (options) => openDataSource(options!),
        }),
      ],
      providers: [
        { provide: ApiKeyRepository, useFactory: (ds: DataSource) => new TypeOrmApiKeyRepository(ds), inject: [DataSource] },
        { provide: RoundTripRepository, useFactory: (ds: DataSource) => new TypeOrmRoundTripRepository(ds), inject: [DataSource] },
      ],
      exports: [ApiKeyRepository, RoundTripRepository],
    };
  }
}
