import { BadRequestException, ValidationPipe, type ValidationError } from '@nestjs/common';
import type { ErrorBody, FieldError } from './error-body.js';

/** Validates every DTO with class-validator; unknown fields are refused, not silently dropped. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => {
      const fieldErrors = flatten(errors);
      const body: ErrorBody = {
        code: 'REQUEST.INVALID',
        message: `Invalid request: ${fieldErrors.map((e) => e.field).join(', ')}`,
        errors: fieldErrors,
      };
      return new BadRequestException(body);
    },
  });
}

function flatten(errors: readonly ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own: FieldError[] = error.constraints ? [{ field, messages: Object.values(error.constraints) }] : [];
    return [...own, ...flatten(error.children ?? [], field)];
  });
}
