/** A Temporal client for activities that start or signal workflows (the worker's own connection only polls). */
import { Inject, Injectable, OnApplicationShutdown, Provider } from '@nestjs/common';
import { Client } from '@temporalio/client';
import { WorkerEnv } from '@opsloop/config';
import { createLazyClient } from '@opsloop/temporal';
import { WORKER_ENV } from './worker-env';

export const WORKER_TEMPORAL_CLIENT = Symbol('WORKER_TEMPORAL_CLIENT');

export const workerTemporalClientProvider: Provider = {
  provide: WORKER_TEMPORAL_CLIENT,
  inject: [WORKER_ENV],
  useFactory: (env: WorkerEnv) => createLazyClient({ address: env.TEMPORAL_ADDRESS, namespace: env.TEMPORAL_NAMESPACE }),
};

@Injectable()
export class WorkerTemporalClientCloser implements OnApplicationShutdown {
  constructor(@Inject(WORKER_TEMPORAL_CLIENT) private readonly client: Client) {}

  async onApplicationShutdown(): Promise<void> {
    await this.client.connection.close().catch(() => undefined);
  }
}
