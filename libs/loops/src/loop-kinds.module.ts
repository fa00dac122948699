/**
 * Every loop kind and what they need. Both apps import it: the API validates configs against
 * the kinds, the worker runs their stages. A new kind is one provider added to KIND_PROVIDERS.
 */
import { DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { OutboundHttp, OutboundPolicy } from '@opsloop/connectors';
import { RunRepository } from '@opsloop/persistence';
import { CollectedReadings } from './collected-readings';
import { NoopKind } from './kinds/noop/noop.kind';
import { ThresholdAlertKind } from './kinds/threshold-alert/threshold-alert.kind';
import { LoopKindRegistry } from './loop-kind.registry';

const KIND_PROVIDERS = [ThresholdAlertKind, NoopKind];

@Module({})
export class LoopKindsModule {
  static forRoot(options: { allowedHosts: string[] }): DynamicModule {
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
        LoopKindRegistry,
        ...KIND_PROVIDERS,
      ],
      exports: [LoopKindRegistry, OutboundHttp],
    };
  }
}
