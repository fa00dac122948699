import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { ApiEnv, loggerParams, SecretBox } from '@opsloop/config';
import { parseAllowedHosts, SourceCollectModule } from '@opsloop/connectors';
import { LoopKindsModule } from '@opsloop/loops';
import { metricRefreshListenerProvider, observationIngestProvider, PersistenceModule } from '@opsloop/persistence';
import { ApiKeyGuard } from './auth/api-key.guard';
import { ApiKeysController } from './auth/api-keys.controller';
import { ApiKeysService } from './auth/api-keys.service';
import { BootstrapAdmin } from './auth/bootstrap-admin';
import { DashboardController } from './dashboard/dashboard.controller';
import { HealthController } from './health/health.controller';
import { LedgerController } from './ledger/ledger.controller';
import { LedgerService } from './ledger/ledger.service';
import { ReadinessService } from './health/readiness.service';
import { LoopConfigCheck } from './loops/loop-config-check';
import { LoopControl } from './loops/loop-control';
import { ConfigAudit } from './audit/config-audit';
import { LoopSchedules } from './loops/loop-schedules';
import { LoopKindsController } from './loops/loop-kinds.controller';
import { LoopsController } from './loops/loops.controller';
import { LoopsService } from './loops/loops.service';
import { AlertsController } from './alerts/alerts.controller';
import { AlertsService } from './alerts/alerts.service';
import { ApprovalsService } from './runs/approvals.service';
import { ApprovalDelivery } from './runs/approvals-delivery';
import { RunStarter } from './runs/run-starter';
import { RunsController } from './runs/runs.controller';
import { RunsService } from './runs/runs.service';
import { RoundTripsController } from './round-trips/round-trips.controller';
import { RoundTripsService } from './round-trips/round-trips.service';
import { SourceCollectController } from './sources/source-collect.controller';
import { SourceCollectService } from './sources/source-collect.service';
import { SourceDefinitionCheck } from './sources/source-definition-check';
import { SourceStatusController } from './sources/source-status.controller';
import { SourceStatusService } from './sources/source-status.service';
import { SourcesController } from './sources/sources.controller';
import { SourcesService } from './sources/sources.service';
import { MetricsController } from './metrics/metrics.controller';
import { MetricsService } from './metrics/metrics.service';
import { ObservationsController } from './sources/observations.controller';
import { ObservationsService } from './sources/observations.service';
import { API_ENV } from './api-env';
import { TemporalClientCloser, temporalClientProvider } from './temporal/temporal-client.provider';

@Module({})
export class ApiModule {
  static forRoot(env: ApiEnv): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        LoggerModule.forRoot(loggerParams(env.LOG_LEVEL, 'opsloop-api')),
        PersistenceModule.forRoot(env.DATABASE_URL, env.DATABASE_MIGRATION_URL),
        LoopKindsModule.forRoot({ allowedHosts: parseAllowedHosts(env.OUTBOUND_ALLOWED_HOSTS) }),
        SourceCollectModule.forRoot(env),
      ],
      controllers: [HealthController, DashboardController, ApiKeysController, RoundTripsController, LedgerController, LoopsController, LoopKindsController, RunsController, SourcesController, SourceStatusController, SourceCollectController, MetricsController, ObservationsController, AlertsController],
      providers: [
        { provide: API_ENV, useValue: env },
        { provide: SecretBox, useFactory: () => SecretBox.fromEnv(env.OPSLOOP_SECRET_KEY) },
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        observationIngestProvider,
        ObservationsService,
        temporalClientProvider,
        TemporalClientCloser,
        ReadinessService,
        ApiKeysService,
        BootstrapAdmin,
        RoundTripsService,
        LoopConfigCheck,
        LoopControl,
        ConfigAudit,
        LoopSchedules,
        LoopsService,
        RunStarter,
        RunsService,
        ApprovalsService,
        ApprovalDelivery,
        AlertsService,
        LedgerService,
        MetricsService,
        metricRefreshListenerProvider,
        SourceDefinitionCheck,
        SourcesService,
        SourceStatusService,
        SourceCollectService,
      ],
    };
  }
}
