import type { CoreError, ErrorShape, FailedRequest, ValidationIssue } from '../../src/sdk';
import { STATUS_ENVELOPE_SCHEMA, VALIDATION_ERROR_SCHEMA } from './caliper.schemas';

/** Filter routes answer their 400s with the status envelope, as the reference documents. */
const FILTER_ROUTES = /^\/[^/]+\/webhook-filters(\/|$)/;

const detailOf = (issue: ValidationIssue) => ({
  ...issue,
  code: issue.code,
  expected: typeof issue.expected === 'string' ? issue.expected : 'valid value',
  received: typeof issue.received === 'string' ? issue.received : 'invalid value',
  path: issue.path.map(String),
  message: issue.message,
});

/** field path → messages, the status envelope's `errors` of a filter 400. */
function errorsByField(issues: ValidationIssue[]): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of issues) {
    const key = issue.path.join('.') || 'body';
    errors[key] = errors[key] ? `${errors[key]}; ${issue.message}` : issue.message;
  }
  return errors;
}

/**
 * - 400 on webhook and event routes: the seed's `{error, details[]}` (zod issues).
 * - 400 on filter routes: `{status: 'error', message, errors: {field: message}}`.
 * - 401/403/404/409/413/415/429/500: `{status: 'error', message, errors: null}`.
 */
export const caliperErrors: ErrorShape = {
  render(error: CoreError, request?: FailedRequest) {
    if (error.status !== 400) return { body: { status: 'error', message: error.message, errors: null } };
    if (request && FILTER_ROUTES.test(request.path)) {
      return { body: { status: 'error', message: error.message, errors: error.issues.length ? errorsByField(error.issues) : null } };
    }
    return { body: { error: error.message, details: error.issues.map(detailOf) } };
  },
  schema: { oneOf: [VALIDATION_ERROR_SCHEMA, STATUS_ENVELOPE_SCHEMA] },
};
