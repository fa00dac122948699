export * from './collected-readings';
export * from './decision-intent';
export * from './loop-kind';
export * from './loop-kind.decorator';
export * from './loop-kind.registry';
export * from './loop-kinds.module';
export * from './metric-series';
export * from './source-pull';
