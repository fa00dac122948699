export * from './client';
export * from './search-attributes';
export * from './workflow-bundle';
export * from './worker-connection';
export * from './with-timeout';
