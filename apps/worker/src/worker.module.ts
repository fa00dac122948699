import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { loggerParams, SecretBox, WorkerEnv } from '@opsloop/config';
import { LoopKindsModule } from '@opsloop/loops';
import { parseAllowedHosts, SourceCollectModule } from '@opsloop/connectors';
import { metricRefreshListenerProvider, observationIngestProvider, PersistenceModule } from '@opsloop/persistence';
import { ACTIVITY_SERVICES, activitiesProvider } from './activities/activities.provider';
import { TemporalWorkerHost } from './temporal-worker.host';
import { EffectSweeper } from './engine/effect-sweep';
import { RunSweeper } from './engine/run-sweep';
import { StageAttempts } from './engine/stage-attempts';
import { LedgerAnchorer } from './anchors/ledger-anchorer';
import { WORKER_ENV } from './worker-env';
import { WorkerTemporalClientCloser, workerTemporalClientProvider } from './temporal-client.provider';

@Module({})
export class WorkerModule {
  static forRoot(env: WorkerEnv): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        LoggerModule.forRoot(loggerParams(env.LOG_LEVEL, 'opsloop-worker')),
        PersistenceModule.forRoot(env.DATABASE_URL, env.DATABASE_MIGRATION_URL),
        LoopKindsModule.forRoot({ allowedHosts: parseAllowedHosts(env.OUTBOUND_ALLOWED_HOSTS), forecastThreads: env.FORECAST_THREADS }),
        SourceCollectModule.forRoot(env),
      ],
      providers: [
        { provide: WORKER_ENV, useValue: env },
        { provide: SecretBox, useFactory: () => SecretBox.fromEnv(env.OPSLOOP_SECRET_KEY) },
        workerTemporalClientProvider,
        WorkerTemporalClientCloser,
        ...ACTIVITY_SERVICES,
        activitiesProvider,
        TemporalWorkerHost,
        EffectSweeper,
        StageAttempts,
        RunSweeper,
        LedgerAnchorer,
        metricRefreshListenerProvider,
        observationIngestProvider,
      ],
    };
  }
}
