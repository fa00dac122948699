import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { ApiEnv, validateEnv } from '@opsloop/config';
import { startInfra } from '../infra';
const mb = (x: number) => (x / 2 ** 20).toFixed(0);
const show = (l: string) => { const m = process.memoryUsage(); console.log(l, 'rss', mb(m.rss), 'heapTotal', mb(m.heapTotal), 'heapUsed', mb(m.heapUsed), 'external', mb(m.external), 'ab', mb(m.arrayBuffers)); };
(async () => {
  show('start');
  const infra = await startInfra(() => undefined);
  show('infra');
  const { createApi } = await import('../../../apps/api/src/create-api');
  show('imported');
  const env = validateEnv(ApiEnv, { ...process.env, DATABASE_URL: infra.databaseUrl, TEMPORAL_ADDRESS: infra.temporalAddress, OPSLOOP_ADMIN_KEY: 'x'.repeat(20), OPSLOOP_SECRET_KEY: randomBytes(32).toString('base64'), LOG_LEVEL: 'warn' });
  const app = await createApi(env);
  show('created');
  (global as any).gc?.();
  show('after gc');
  await app.close(); await infra.stop();
})();
