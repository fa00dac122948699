export * from './source-schema';
