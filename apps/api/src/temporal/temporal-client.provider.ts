import { Inject, Injectable, OnApplicationShutdown, Provider } from '@nestjs/common';
import { Client } from '@temporalio/client';
import { ApiEnv } from '@opsloop/config';
import { createLazyClient } from '@opsloop/temporal';
import { API_ENV } from '../api-env';

export const TEMPORAL_CLIENT = Symbol('TEMPORAL_CLIENT');

export const temporalClientProvider: Provider = {
  provide: TEMPORAL_CLIENT,
  inject: [API_ENV],
  useFactory: (env: ApiEnv) => createLazyClient({ address: env.TEMPORAL_ADDRESS, namespace: env.TEMPORAL_NAMESPACE }),
};

/** Closes the client's connection when the app stops. */
@Injectable()
export class TemporalClientCloser implements OnApplicationShutdown {
  constructor(@Inject(TEMPORAL_CLIENT) private readonly client: Client) {}

  async onApplicationShutdown(): Promise<void> {
    await this.client.connection.close().catch(() => undefined);
  }
}
