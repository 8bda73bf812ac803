/**
 * Errors the core raises on purpose. Each carries a stable code (e.g. `LOAN.NOT_DISBURSED`)
 * that clients may branch on; the HTTP shell maps the kind to a status code. `unavailable`:
 * nothing was done, and the same request sent later may succeed (503 with `Retry-After`).
 */
export type DomainErrorKind = 'validation' | 'not-found' | 'conflict' | 'rule-violation' | 'unavailable';

export abstract class DomainError extends Error {
  abstract readonly kind: DomainErrorKind;

  protected constructor(
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * Input that is well-formed but cannot be accepted (more decimals than the currency has).
 * `details.field` names the offending field, which the HTTP shell reports as a field error.
 */
export class InvalidInputError extends DomainError {
  readonly kind = 'validation';
  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(code, message, details);
  }
}

export class NotFoundError extends DomainError {
  readonly kind = 'not-found';
  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(code, message, details);
  }
}

/** A command that the current state of an aggregate forbids. Nothing is appended. */
export class BusinessRuleViolation extends DomainError {
  readonly kind = 'rule-violation';
  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(code, message, details);
  }
}

/** Two writers raced, or a command id was reused for a different command. */
export class ConflictError extends DomainError {
  readonly kind = 'conflict';
  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(code, message, details);
  }
}
