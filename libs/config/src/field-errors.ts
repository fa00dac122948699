/** One error shape for every validated input: `{ field: 'params.bound', messages: [...] }`. */
import type { ValidationError } from 'class-validator';

export interface FieldError {
  field: string;
  messages: string[];
}

export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = e.constraints ? [{ field, messages: Object.values(e.constraints) }] : [];
    return [...own, ...flattenValidationErrors(e.children ?? [], field)];
  });
}

/** Thrown by validation outside the HTTP pipe; the API turns it into the same 400 body. */
export class FieldValidationError extends Error {
  override readonly name = 'FieldValidationError';
  constructor(readonly errors: FieldError[]) {
    super(`Validation failed: ${errors.map((e) => `${e.field}: ${e.messages.join(', ')}`).join('; ')}`);
  }
}
