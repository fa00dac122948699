export * from './canonical-json';
export * from './hash-chain';
export * from './ledger-entry';
export * from './ledger-verdict';
export * from './anchor';
export * from './config-diff';
export * from './config-entry';
