export * from './child-process';
export * from './embedded-postgres';
export * from './ports';
export * from './temporal-binary';
export * from './temporal-dev-server';
export * from './postgres-access';
