export * from './roles';
export * from './round-trip';
export * from './api-key';
export * from './ledger';
export * from './loops';
export * from './sources';
export * from './metrics';
export * from './calendar-days';
