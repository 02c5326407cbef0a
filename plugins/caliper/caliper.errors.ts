import type { CoreError, DocumentedOperation, ErrorShape, FailedRequest, ValidationIssue } from '../../src/sdk';
import { CaliperErrorStatus, CaliperValidationError } from './caliper.schemas';
import { zod3Issue } from './caliper.zod3';

/** Filter routes answer their 400s with the status envelope, as the reference documents. */
const FILTER_ROUTES = /^\/[^/]+\/webhook-filters(\/|$)/;

/** The provider's words for an invalid body, by route kind. */
const INVALID_BODY = 'Invalid request data';
const INVALID_FILTER = 'Invalid filter data';

/** field path → messages, the status envelope's `errors` of a filter 400. */
function errorsByField(issues: ValidationIssue[]): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const { path, message } of issues.map(zod3Issue)) {
    const key = path.join('.') || 'body';
    errors[key] = errors[key] ? `${errors[key]}; ${message}` : message;
  }
  return errors;
}

/** How the reference words the statuses every Caliper route may answer. */
const STATUS_TEXT: Record<number, string> = {
  401: 'Missing, expired or invalid bearer token',
  403: 'The token lacks a Caliper scope this operation needs',
  404: 'No such webhook or filter in your tenant',
  413: 'Body larger than 1 MiB',
  415: 'Content-Type is not application/json',
};

/**
 * - 400 on webhook and event routes: the seed's `{error, details[]}` (zod 3 issues).
 * - 400 on filter routes: `{status: 'error', message, errors: {field: message}}`.
 * - 401/403/404/409/413/415/429/500: `{status: 'error', message, errors: null}`.
 */
export const caliperErrors: ErrorShape = {
  render(error: CoreError, request?: FailedRequest) {
    if (error.status !== 400) return { body: { status: 'error', message: error.message, errors: null } };
    const invalidBody = error.code === 'validation_failed';
    if (request && FILTER_ROUTES.test(request.path)) {
      return { body: { status: 'error', message: invalidBody ? INVALID_FILTER : error.message, errors: error.issues.length ? errorsByField(error.issues) : null } };
    }
    return { body: { error: invalidBody ? INVALID_BODY : error.message, details: error.issues.map(zod3Issue) } };
  },
  schema: { oneOf: [CaliperValidationError.jsonSchema, CaliperErrorStatus.jsonSchema] },
  describe(status: number, operation: DocumentedOperation) {
    if (status === 400) return { schema: (FILTER_ROUTES.test(operation.path) ? CaliperErrorStatus : CaliperValidationError).jsonSchema };
    const description = STATUS_TEXT[status];
    return description ? { description, schema: CaliperErrorStatus.jsonSchema } : undefined;
  },
};
