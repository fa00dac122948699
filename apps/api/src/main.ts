import 'reflect-metadata';
import { ApiEnv, validateEnv } from '@opsloop/config';
import { createApi } from './create-api';

async function main(): Promise<void> {
  const env = validateEnv(ApiEnv);
  const app = await createApi(env);
  app.enableShutdownHooks(['SIGINT', 'SIGTERM']);
  await app.listen(env.PORT);
}

main().catch((err: unknown) => {
  console.error(`opsloop api failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
