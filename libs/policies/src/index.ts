export * from './threshold-alert/threshold-alert.policy';
