/** DI token for the worker's validated environment. */
export const WORKER_ENV = Symbol('WORKER_ENV');
