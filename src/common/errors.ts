/**
 * Typed core errors. Services throw these; each surface's exception filter renders them in its
 * own shape (problem+json for /v1, the plugin's declared shape under its route prefix).
 */
export interface ValidationIssue {
  /** Where the problem is, e.g. ['eventTypes', 0]. Empty for the body as a whole. */
  path: (string | number)[];
  /** A sentence naming the field, e.g. "url must be a URL address". */
  message: string;
  /** A machine code: class-validator's constraint name, or a plugin's own (e.g. zod's). */
  code: string;
  /** Extra fields a surface may render (zod's expected/received, keys...). */
  [extra: string]: unknown;
}

export type ErrorCode =
  | 'validation_failed'
  | 'bad_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'unprocessable'
  | 'rate_limited'
  | 'unavailable'
  | 'internal';

export class CoreError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly issues: ValidationIssue[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export class ValidationFailedError extends CoreError {
  constructor(issues: ValidationIssue[], message = issues[0]?.message ?? 'Validation failed') {
    super(400, 'validation_failed', message, issues);
  }
}

export class BadRequestError extends CoreError {
  constructor(message: string) {
    super(400, 'bad_request', message);
  }
}

export class UnauthorizedError extends CoreError {
  constructor(message = 'Authentication required') {
    super(401, 'unauthorized', message);
  }
}

export class ForbiddenError extends CoreError {
  constructor(message = 'Insufficient permissions') {
    super(403, 'forbidden', message);
  }
}

export class NotFoundError extends CoreError {
  constructor(message = 'Not found') {
    super(404, 'not_found', message);
  }
}

export class ConflictError extends CoreError {
  constructor(message: string) {
    super(409, 'conflict', message);
  }
}

export class UnprocessableError extends CoreError {
  constructor(message: string) {
    super(422, 'unprocessable', message);
  }
}

export class RateLimitedError extends CoreError {
  constructor(retryAfterSeconds: number, message = 'Too many requests') {
    super(429, 'rate_limited', message, [], { 'retry-after': String(retryAfterSeconds) });
  }
}

/** The gateway cannot do it now (e.g. the database stayed locked): the client may try again later. */
export class ServiceUnavailableError extends CoreError {
  constructor(message: string, retryAfterSeconds: number) {
    super(503, 'unavailable', message, [], { 'retry-after': String(retryAfterSeconds) });
  }
}
