export * from './canonical-json';
export * from './hash-chain';
