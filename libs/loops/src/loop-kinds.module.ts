/**
 * Every loop kind and what they need. Both apps import it: the API validates configs against
 * the kinds, the worker runs their stages. A new kind is one provider added to KIND_PROVIDERS.
 */
import { DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { OutboundHttp, OutboundPolicy } from '@opsloop/connectors';
import { MetricValueStore, RunRepository } from '@opsloop/persistence';
import { CollectedReadings } from './collected-readings';
import { NoopKind } from './kinds/noop/noop.kind';
import { SourceReadings } from './kinds/threshold-alert/source-readings';
import { ThresholdAlertKind } from './kinds/threshold-alert/threshold-alert.kind';
import { LoopKindRegistry } from './loop-kind.registry';
import { MetricSeries } from './metric-series';
import { SourcePull } from './source-pull';
import { ReplenishmentKind } from './kinds/replenishment/replenishment.kind';
import { ReplenishmentData } from './kinds/replenishment/replenishment-data';
import { OutcomeReader } from './kinds/replenishment/outcome-reader';
import { ForecastPool } from './kinds/replenishment/forecast-pool';

const KIND_PROVIDERS = [ThresholdAlertKind, ReplenishmentKind, NoopKind];

@Module({})
export class LoopKindsModule {
  static forRoot(options: { allowedHosts: string[]; forecastThreads?: number }): DynamicModule {
    return {
      module: LoopKindsModule,
      global: true,
      imports: [DiscoveryModule],
      providers: [
        { provide: OutboundHttp, useValue: new OutboundHttp(new OutboundPolicy(options.allowedHosts)) },
        {
          provide: CollectedReadings,
          inject: [RunRepository],
          useFactory: (runs: RunRepository): CollectedReadings => ({ latestAfter: (l, s, a) => runs.latestCollectedReading(l, s, a) }),
        },
        // Metric-center reads for kinds; the store refreshes lazily, so a read is never stale.
        { provide: MetricSeries, inject: [MetricValueStore], useFactory: (store: MetricValueStore): MetricSeries => ({ read: (key, q) => store.series(key, q) }) },
        SourcePull,
        { provide: ForecastPool, useValue: new ForecastPool(options.forecastThreads) },
        SourceReadings,
        ReplenishmentData,
        OutcomeReader,
        LoopKindRegistry,
        ...KIND_PROVIDERS,
      ],
      exports: [LoopKindRegistry, OutboundHttp, MetricSeries],
    };
  }
}
