export * from './approval-request';
export * from './ids';
export * from './loop-config';
export * from './records';
export * from './run-state';
export * from './trigger-check';
