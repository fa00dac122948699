export * from './data-source-options';
export * from './migrate';
export * from './persistence.module';
export * from './repositories/api-key.repository';
export * from './repositories/round-trip.repository';
