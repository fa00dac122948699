export * from './threshold-alert/threshold-alert.policy';
export * from './replenishment';
export * from './threshold-alert/anomaly-rule';
