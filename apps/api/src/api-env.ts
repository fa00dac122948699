/** DI token for the validated API environment (an ApiEnv). */
export const API_ENV = Symbol('API_ENV');
