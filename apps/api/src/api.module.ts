import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { ApiEnv, loggerParams } from '@opsloop/config';
import { PersistenceModule } from '@opsloop/persistence';
import { ApiKeyGuard } from './auth/api-key.guard';
import { ApiKeysController } from './auth/api-keys.controller';
import { ApiKeysService } from './auth/api-keys.service';
import { BootstrapAdmin } from './auth/bootstrap-admin';
import { DashboardController } from './dashboard/dashboard.controller';
import { HealthController } from './health/health.controller';
import { ReadinessService } from './health/readiness.service';
import { RoundTripsController } from './round-trips/round-trips.controller';
import { RoundTripsService } from './round-trips/round-trips.service';
import { API_ENV } from './api-env';
import { TemporalClientCloser, temporalClientProvider } from './temporal/temporal-client.provider';

@Module({})
export class ApiModule {
  static forRoot(env: ApiEnv): DynamicModule {
    return {
      module: ApiModule,
      imports: [LoggerModule.forRoot(loggerParams(env.LOG_LEVEL, 'opsloop-api')), PersistenceModule.forRoot(env.DATABASE_URL)],
      controllers: [HealthController, DashboardController, ApiKeysController, RoundTripsController],
      providers: [
        { provide: API_ENV, useValue: env },
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        temporalClientProvider,
        TemporalClientCloser,
        ReadinessService,
        ApiKeysService,
        BootstrapAdmin,
        RoundTripsService,
      ],
    };
  }
}
