export * from './threshold-alert/threshold-alert.policy';
export * from './replenishment';
