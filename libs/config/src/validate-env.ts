/**
 * Fail-fast environment validation: turns `process.env` into a typed, validated object
 * or throws one error that names every bad variable. Values are never echoed, since
 * several of them (DATABASE_URL, OPSLOOP_ADMIN_KEY) carry secrets.
 */
import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';

export class EnvValidationError extends Error {
  constructor(readonly problems: { variable: string; messages: string[] }[]) {
    super(
      'Invalid environment:\n' +
        problems.map((p) => `  ${p.variable}: ${p.messages.join('; ')}`).join('\n'),
    );
    this.name = 'EnvValidationError';
  }
}

type Ctor<T> = new () => T;

export function validateEnv<T extends object>(
  schema: Ctor<T>,
  env: Record<string, string | undefined> = process.env,
): T {
  const present = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v !== ''),
  );
  const instance = plainToInstance(schema, present, { enableImplicitConversion: true });
  const errors = validateSync(instance, { whitelist: true, forbidUnknownValues: true });
  if (errors.length > 0) throw new EnvValidationError(errors.map(describe));
  return instance;
}

function describe(error: ValidationError): { variable: string; messages: string[] } {
  // class-validator messages start with the property name and never contain the value.
  return { variable: error.property, messages: Object.values(error.constraints ?? {}) };
}
