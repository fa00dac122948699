/** Global input validation: unknown fields are refused and every error names its field. */
import { BadRequestException, ValidationPipe } from '@nestjs/common';
import { ValidateIf } from 'class-validator';
import { flattenValidationErrors, FieldError } from '@opsloop/config';

export { flattenValidationErrors };
export type { FieldError };

export function globalValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => fieldErrorsException(flattenValidationErrors(errors)),
  });
}

/** The 400 body every validation failure uses, for checks done after the pipe. */
export function fieldErrorsException(errors: FieldError[]): BadRequestException {
  return new BadRequestException({ statusCode: 400, error: 'Bad Request', message: 'Validation failed', errors });
}

/**
 * For optional body fields: absent is fine, null is not. `@IsOptional()` also skips null, which
 * would then reach code that expects the field's type (the document does not allow null there).
 */
export const IsAbsentOr = () => ValidateIf((_object: object, value: unknown) => value !== undefined);
