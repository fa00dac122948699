/** The replenishment simulator (DESIGN contract 4). */
export * from './scenario';
export * from './engine';
export * from './static-minmax';
export * from './opsloop-sim';
export * from './simulate';
