export * from './canonical-json';
export * from './hash-chain';
export * from './ledger-entry';
export * from './ledger-verdict';
export * from './anchor';
