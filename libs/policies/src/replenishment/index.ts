/** replenishment@1: the policy, its tune step and its simulator. */
export * from './types';
export * from './normal';
export * from './ordering';
export * from './safety-stock';
export * from './item-plan';
export * from './budget';
export * from './policy';
export * from './auto-forecast';
export * from './tuning';
export * from './outcome';
export * from './simulate';
