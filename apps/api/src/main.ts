import 'reflect-metadata';
import { ApiEnv, validateEnv } from '@opsloop/config';
import { createApi } from './create-api';

async function main(): Promise<void> {
  const env = validateEnv(ApiEnv);
  const app = await createApi(env);
  app.enableShutdownHooks(['SIGINT', 'SIGTERM']);
  // Loopback unless API_HOST says otherwise: the API holds credentials and `npm start` prints an admin key.
  await app.listen(env.PORT, env.API_HOST);
}

main().catch((err: unknown) => {
  console.error(`opsloop api failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
