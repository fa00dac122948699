import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { WorkerEnv } from '@opsloop/config';
import { WorkerModule } from './worker.module';

/** Builds and starts the worker context; used by main.ts and by the tests. */
export async function createWorker(env: WorkerEnv): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(env), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  await app.init();
  return app;
}
