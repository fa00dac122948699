import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { ApiEnv } from '@opsloop/config';
import { API_ENV } from '../api-env';
import { ApiKeysService } from './api-keys.service';

/** Installs OPSLOOP_ADMIN_KEY as the bootstrap admin key at every start. */
@Injectable()
export class BootstrapAdmin implements OnApplicationBootstrap {
  constructor(
    @Inject(API_ENV) private readonly env: ApiEnv,
    private readonly apiKeys: ApiKeysService,
  ) {}

  onApplicationBootstrap(): Promise<void> {
    return this.apiKeys.installBootstrapAdmin(this.env.OPSLOOP_ADMIN_KEY);
  }
}
