import { ValidationError, ValidationPipe } from '@nestjs/common';
import { ValidationFailedError, ValidationIssue } from './errors';

/** class-validator's error tree → flat issues with paths and its own sentences. */
export function issuesFrom(errors: ValidationError[], parent: (string | number)[] = []): ValidationIssue[] {
  return errors.flatMap((e) => {
    const path = [...parent, /^\d+$/.test(e.property) ? Number(e.property) : e.property];
    const own = Object.entries(e.constraints ?? {}).map(([code, message]) => ({ path, code, message, value: e.value }));
    return [...own, ...issuesFrom(e.children ?? [], path)];
  });
}

/** whitelist + forbidNonWhitelisted: unknown fields are refused, not silently dropped. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => new ValidationFailedError(issuesFrom(errors)),
  });
}
