export * from './forecast/types';
export * from './forecast/exp-smoothing/ses';
export * from './forecast/exp-smoothing/holt';
export * from './forecast/exp-smoothing/holt-winters';
export * from './forecast/simple/naive';
export * from './forecast/simple/theta';
export * from './forecast/simple/croston';
export * from './forecast/simple/seasonality';
