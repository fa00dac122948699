/** pino settings shared by the apps. Redaction keeps API keys and credentials out of every log line. */
import type { Params } from 'nestjs-pino';
import type { LogLevel } from './env.schemas';

export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.apiKey',
  '*.key',
  '*.DATABASE_URL',
  '*.OPSLOOP_ADMIN_KEY',
];

export function loggerParams(level: LogLevel, name: string): Params {
  return {
    pinoHttp: {
      name,
      level,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      // Health probes would drown everything else.
      autoLogging: { ignore: (req) => (req.url ?? '').startsWith('/health') },
    },
  };
}
