import 'reflect-metadata';
import { validateEnv, WorkerEnv } from '@opsloop/config';
import { createWorker } from './create-worker';

async function main(): Promise<void> {
  const env = validateEnv(WorkerEnv);
  const app = await createWorker(env);
  app.enableShutdownHooks(['SIGINT', 'SIGTERM']);
}

main().catch((err: unknown) => {
  console.error(`opsloop worker failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
