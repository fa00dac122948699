/**
 * Nest wiring for pulling sources, imported by the API (collect endpoint) and the worker (loop
 * collect stage). Global, so loop kinds can inject the collector. Self-contained: it binds its own
 * SecretBox and ingest pipeline (the same classes the apps bind, stateless) because providers of
 * an app's root module are not visible to a global module. The pull connectors get their own
 * allow-list instance from the same OUTBOUND_ALLOWED_HOSTS as webhooks and probes; postgres
 * sources also refuse opsloop's own database unless SOURCE_ALLOW_OPSLOOP_DATABASE=true.
 */
import path from 'node:path';
import { DynamicModule, Module } from '@nestjs/common';
import { CoreEnv, SecretBox } from '@opsloop/config';
import { ObservationIngest, observationIngestProvider, SourceRepository } from '@opsloop/persistence';
import { OutboundPolicy, parseAllowedHosts } from '../http/allowed-hosts';
import { PostgresTargetPolicy } from './postgres-target';
import { PullSources } from './pull-sources';
import { SourceCollector } from './source-collector';

@Module({})
export class SourceCollectModule {
  static forRoot(env: Pick<CoreEnv, 'DATABASE_URL' | 'OUTBOUND_ALLOWED_HOSTS' | 'SOURCE_ALLOW_OPSLOOP_DATABASE' | 'OPSLOOP_SECRET_KEY' | 'OPSLOOP_CSV_ROOT' | 'SOURCE_COLLECT_ATTEMPTS' | 'SOURCE_COLLECT_BACKOFF_MS'>): DynamicModule {
    const settings = { attempts: env.SOURCE_COLLECT_ATTEMPTS, backoffMs: env.SOURCE_COLLECT_BACKOFF_MS };
    return {
      module: SourceCollectModule,
      global: true,
      providers: [
        { provide: SecretBox, useFactory: () => SecretBox.fromEnv(env.OPSLOOP_SECRET_KEY) },
        observationIngestProvider,
        {
          provide: PullSources,
          useFactory: () => {
            const policy = new OutboundPolicy(parseAllowedHosts(env.OUTBOUND_ALLOWED_HOSTS));
            return new PullSources({
              policy, postgres: PostgresTargetPolicy.fromEnv(policy, env),
              csvRoot: env.OPSLOOP_CSV_ROOT ? path.resolve(env.OPSLOOP_CSV_ROOT) : null,
            });
          },
        },
        {
          provide: SourceCollector,
          inject: [SourceRepository, SecretBox, ObservationIngest, PullSources],
          useFactory: (sources: SourceRepository, box: SecretBox, ingest: ObservationIngest, pulls: PullSources) =>
            new SourceCollector(sources, box, ingest, pulls, settings),
        },
      ],
      exports: [PullSources, SourceCollector],
    };
  }
}
