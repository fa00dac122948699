export * from './validate-env';
export * from './env.schemas';
export * from './env-catalog';
export * from './logging';
export * from './field-errors';
export * from './secret-box';
export * from './anchor-key';
