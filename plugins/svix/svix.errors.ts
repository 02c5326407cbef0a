import { CoreError, ErrorShape, NotFoundError, ValidationIssue } from '../../src/sdk';
import { SvixError } from './svix.schemas';

/** For `.catch`: a lookup that found nothing is null (a deleted endpoint, a purged event); any other failure stays one. */
export const missingAsNull = (err: unknown): null => {
  if (err instanceof NotFoundError) return null;
  throw err;
};

/** Svix's codes (its server's defaults) where the core's differ; any other is the core's own (`not_found`, `conflict`...). */
const SVIX_CODES: Record<string, string> = { unauthorized: 'authentication_failed', forbidden: 'insufficient access', bad_request: 'generic_error' };

/** Where a problem is, as Svix's `loc`: the core's page cursor is Svix's `iterator` query parameter. */
function locationOf(issue: ValidationIssue): string[] {
  const path = issue.path.map(String);
  return path[0] === 'cursor' ? ['query', 'iterator'] : ['body', ...path];
}

/** Svix's (pydantic's) wording and type for one problem; the core's own issues are sentences already. */
function described(issue: ValidationIssue): { msg: string; type: string } {
  if (!('receivedType' in issue)) return { msg: issue.message, type: `value_error.${issue.code}` };
  switch (issue.code) {
    case 'invalid_type':
      return issue.receivedType === 'undefined' ? { msg: 'field required', type: 'value_error.missing' } : { msg: `value is not a valid ${String(issue.expected)}`, type: `type_error.${String(issue.expected)}` };
    case 'too_small':
      return { msg: `ensure this value has at least ${String(issue.minimum)} ${issue.origin === 'string' ? 'characters' : issue.origin === 'array' ? 'items' : ''}`.trim(), type: 'value_error.too_small' };
    case 'too_big':
      return { msg: `ensure this value has at most ${String(issue.maximum)} ${issue.origin === 'string' ? 'characters' : issue.origin === 'array' ? 'items' : ''}`.trim(), type: 'value_error.too_big' };
    case 'invalid_format':
      return { msg: issue.format === 'regex' ? `string does not match the pattern ${String(issue.pattern)}` : `invalid ${String(issue.format)}`, type: `value_error.${String(issue.format)}` };
    case 'invalid_value':
      return { msg: `value is not one of ${(issue.values as unknown[]).map(String).join(', ')}`, type: 'value_error.const' };
    default:
      return { msg: issue.message, type: `value_error.${issue.code}` };
  }
}

/**
 * Svix's error bodies: validation problems answer 422 `{detail: [{loc, msg, type}]}` (Svix's
 * HTTPValidationError); every other error `{code, detail}` (its HttpErrorOut) with the core's status.
 */
export const svixErrors: ErrorShape = {
  render: (error: CoreError) => {
    if (error.code === 'validation_failed') {
      return { status: 422, body: { detail: error.issues.map((issue) => ({ loc: locationOf(issue), ...described(issue) })) } satisfies SvixError };
    }
    return { body: { code: SVIX_CODES[error.code] ?? error.code, detail: error.message } satisfies SvixError };
  },
  schema: SvixError.jsonSchema,
  describe: (status) => (status === 422 ? { description: 'Validation error (HTTPValidationError)', example: { detail: [{ loc: ['body', 'url'], msg: 'field required', type: 'value_error.missing' }] } } : undefined),
};
