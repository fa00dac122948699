export * from './source-schema';
export * from './row-validator';
export * from './masking';
export * from './quality-gate';
export * from './row-size';
