/** Nest wiring: one DataSource (migrated at start) and the repository ports bound to TypeORM. */
import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options';
import { openDataSource } from './migrate';
import { ApiKeyRepository, TypeOrmApiKeyRepository } from './repositories/api-key.repository';
import { RoundTripRepository, TypeOrmRoundTripRepository } from './repositories/round-trip.repository';
import { LedgerRepository, TypeOrmLedgerRepository } from './repositories/ledger.repository';
import { ActionEffectRepository, TypeOrmActionEffectRepository } from './repositories/action-effect.repository';
import { DecisionRepository, TypeOrmDecisionRepository } from './repositories/decision.repository';
import { ApprovalRepository, TypeOrmApprovalRepository } from './repositories/approval.repository';
import { LoopRepository, TypeOrmLoopRepository } from './repositories/loop.repository';
import { RunRepository, TypeOrmRunRepository } from './repositories/run.repository';
import { SourceRepository, TypeOrmSourceRepository } from './repositories/source.repository';
import { ObservationReader, TypeOrmObservationReader } from './repositories/observation-reader.repository';
import { ObservationAggregates, TypeOrmObservationAggregates } from './repositories/observation-aggregates.repository';
import { SourceStatusRepository, TypeOrmSourceStatusRepository } from './repositories/source-status.repository';
import { MetricDefinitionRepository, TypeOrmMetricDefinitionRepository } from './metrics/metric-definition.repository';
import { MetricValueStore, TypeOrmMetricValueStore } from './metrics/metric-value.store';
import { AlertLabelRepository, TypeOrmAlertLabelRepository } from './repositories/alert-label.repository';

/** Each port bound to its SQL adapter over the one DataSource. */
const PORTS = [
  [ApiKeyRepository, TypeOrmApiKeyRepository],
  [RoundTripRepository, TypeOrmRoundTripRepository],
  [LedgerRepository, TypeOrmLedgerRepository],
  [LoopRepository, TypeOrmLoopRepository],
  [RunRepository, TypeOrmRunRepository],
  [DecisionRepository, TypeOrmDecisionRepository],
  [ApprovalRepository, TypeOrmApprovalRepository],
  [ActionEffectRepository, TypeOrmActionEffectRepository],
  [SourceRepository, TypeOrmSourceRepository],
  [ObservationReader, TypeOrmObservationReader],
  [ObservationAggregates, TypeOrmObservationAggregates],
  [SourceStatusRepository, TypeOrmSourceStatusRepository],
  [MetricDefinitionRepository, TypeOrmMetricDefinitionRepository],
  [MetricValueStore, TypeOrmMetricValueStore],
  [AlertLabelRepository, TypeOrmAlertLabelRepository],
] as const;

@Module({})
export class PersistenceModule {
  static forRoot(databaseUrl: string, migrationUrl?: string): DynamicModule {
    return {
      module: PersistenceModule,
      global: true,
      imports: [
        TypeOrmModule.forRootAsync({
          // Few retries: a wrong DATABASE_URL should stop start-up quickly with the real error.
          useFactory: () => ({ ...dataSourceOptions(databaseUrl), retryAttempts: 2, retryDelay: 1000 }),
          // Migrations run here, at start, under a lock; never `synchronize`.
          dataSourceFactory: async (options) => openDataSource(options!, migrationUrl),
        }),
      ],
      providers: PORTS.map(([port, Adapter]) => ({ provide: port, useFactory: (ds: DataSource) => new Adapter(ds), inject: [DataSource] })),
      exports: PORTS.map(([port]) => port),
    };
  }
}
