/** Temporal client for the API. Lazy, so the API boots and serves while Temporal is down. */
import { Client, Connection } from '@temporalio/client';
import { withTimeout } from './with-timeout';

export interface TemporalClientConfig {
  address: string;
  namespace: string;
}

export function createLazyClient(cfg: TemporalClientConfig): Client {
  const connection = Connection.lazy({ address: cfg.address, connectTimeout: 3_000 });
  return new Client({ connection, namespace: cfg.namespace });
}

/** Resolves when Temporal answers a health check within `timeoutMs`; rejects with the reason otherwise. */
export async function checkTemporal(client: Client, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  await withTimeout(client.connection.ensureConnected(), timeoutMs, 'connect');
  await client.connection.withDeadline(deadline, () =>
    client.connection.workflowService.getSystemInfo({}),
  );
}
