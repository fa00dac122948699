/**
 * Refreshes the metrics of a source right after each ingest batch, so stored values follow the
 * data without waiting for a read. Bound to the IngestListener token in the API and the worker.
 */
import { Provider } from '@nestjs/common';
import { IngestListener, ObservationsWritten } from '../ingest-listener';
import { MetricValueStore, RefreshReport } from './metric-value.store';

export class MetricRefreshListener extends IngestListener {
  /** The last refresh's reports, for logs and tests. */
  lastReports: RefreshReport[] = [];

  constructor(private readonly store: MetricValueStore) {
    super();
  }

  async observationsWritten(event: ObservationsWritten): Promise<void> {
    this.lastReports = await this.store.refreshForSource(event.sourceId);
  }
}

export const metricRefreshListenerProvider: Provider = {
  provide: IngestListener,
  inject: [MetricValueStore],
  useFactory: (store: MetricValueStore) => new MetricRefreshListener(store),
};
