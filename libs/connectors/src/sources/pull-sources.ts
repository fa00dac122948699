/** Picks the connector for a source's kind; push sources have nothing to pull. */
import type { SourceDefinition, SourceKind } from '@opsloop/domain';
import { OutboundPolicy } from '../http/allowed-hosts';
import { CsvFileSource } from './csv-file-source';
import { HttpSource, HttpSourceOptions } from './http-source';
import { PostgresSource } from './postgres-source';
import { PostgresTargetPolicy } from './postgres-target';
import type { PullSource } from './pull-source';

export interface PullSourcesSettings {
  policy: OutboundPolicy;
  /** Where postgres sources may connect: the same allow-list, and opsloop's own database refused unless allowed. */
  postgres: PostgresTargetPolicy;
  /** OPSLOOP_CSV_ROOT, or null when unset. */
  csvRoot: string | null;
  http?: HttpSourceOptions;
}

export class SourceNotPullableError extends Error {
  override readonly name = 'SourceNotPullableError';
  constructor(readonly source: Pick<SourceDefinition, 'id' | 'kind'>) {
    super(`source ${source.id} is a ${source.kind} source: data is pushed to it, there is nothing to pull`);
  }
}

export const PULL_KINDS: readonly SourceKind[] = ['postgres', 'http', 'csv'];

export class PullSources {
  private readonly byKind: Partial<Record<SourceKind, PullSource>>;

  constructor(settings: PullSourcesSettings) {
    this.byKind = {
      postgres: new PostgresSource(settings.postgres),
      http: new HttpSource(settings.policy, settings.http),
      csv: new CsvFileSource(settings.csvRoot),
    };
  }

  canPull(source: Pick<SourceDefinition, 'kind'>): boolean {
    return this.byKind[source.kind] !== undefined;
  }

  for(source: Pick<SourceDefinition, 'id' | 'kind'>): PullSource {
    const connector = this.byKind[source.kind];
    if (!connector) throw new SourceNotPullableError(source);
    return connector;
  }
}
