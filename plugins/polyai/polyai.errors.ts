import { CoreError, DocumentedOperation, ErrorDoc, ErrorShape, ValidationIssue } from '../../src/sdk';
import { PolyaiError } from './polyai.schemas';

/**
 * PolyAI's error wording: every problem is one sentence that names its field ("timeout_ms must be
 * at most 30000"), coded with the JSON Schema keyword the seed's schema declares ("maximum").
 */

/** `['event_types', 0]` → `event_types[0]`; `['headers', 'X-A']` → `headers.X-A`. */
function fieldName(path: (string | number)[], root: string): string {
  if (!path.length) return root;
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

/**
 * JSON Schema's names for zod's types. zod reports a `z.int()` given no number at all as expecting
 * a `number`; every number on this surface is an integer (timeout_ms, the alert's values).
 */
const TYPE_NAMES: Record<string, string> = { int: 'integer', number: 'integer', record: 'object' };
/** zod's format names where the seed's schemas use JSON Schema's. */
const FORMAT_NAMES: Record<string, string> = { url: 'uri', datetime: 'date-time' };

const withArticle = (noun: string) => `${/^[aeio]/.test(noun) ? 'an' : 'a'} ${noun}`;
const plural = (count: unknown, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;

/** One zod issue as PolyAI's sentences (an unknown-keys issue is one per key). */
function sentences(issue: ValidationIssue, root: string): ValidationIssue[] {
  const { path } = issue;
  const field = fieldName(path, root);
  const said = (code: string, message: string): ValidationIssue[] => [{ path, code, message }];
  switch (issue.code) {
    case 'invalid_type': {
      if (issue.receivedType === 'undefined' && path.length) return said('required', `${field} is required`);
      const type = TYPE_NAMES[String(issue.expected)] ?? String(issue.expected);
      return said('type', `${field} must be ${withArticle(type === 'object' && !path.length && root === 'request body' ? 'JSON object' : type)}`);
    }
    case 'unrecognized_keys':
      return (issue.keys as string[]).map((key) => ({ path: [...path, key], code: 'additionalProperties', message: `${fieldName([...path, key], root)} is not an allowed property` }));
    case 'too_small':
      if (issue.origin === 'string') return said('minLength', `${field} must be at least ${plural(issue.minimum, 'character')} long`);
      if (issue.origin === 'array') return said('minItems', `${field} must contain at least ${plural(issue.minimum, 'item')}`);
      return said('minimum', `${field} must be at least ${issue.minimum}`);
    case 'too_big':
      if (issue.origin === 'string') return said('maxLength', `${field} must be at most ${plural(issue.maximum, 'character')} long`);
      if (issue.origin === 'array') return said('maxItems', `${field} must contain at most ${plural(issue.maximum, 'item')}`);
      return said('maximum', `${field} must be at most ${issue.maximum}`);
    case 'invalid_format':
      if (issue.format === 'starts_with') return said('pattern', `${field} must start with ${issue.prefix}`);
      // zod gives the pattern as a regex literal, `/^ar_…$/`; the seed writes its source.
      if (issue.format === 'regex') return said('pattern', `${field} must match the pattern ${String(issue.pattern).replace(/^\/(.*)\/[a-z]*$/s, '$1')}`);
      return said('format', `${field} must be a valid ${FORMAT_NAMES[String(issue.format)] ?? issue.format}`);
    case 'invalid_value':
      return said('enum', `${field} must be one of: ${(issue.values as unknown[]).map(String).join(', ')}`);
    default:
      return said(issue.code, `${field} is not valid`);
  }
}

/**
 * PolyAI's issues for zod's (`root` names the value itself, `prefix` starts every path), one per
 * field: the first problem found there. The core's issues and the schemas' own (`custom`) rules
 * already are sentences and pass through.
 */
export function polyaiIssues(issues: ValidationIssue[], root: string, prefix: (string | number)[] = []): ValidationIssue[] {
  const byField = new Map<string, ValidationIssue>();
  for (const issue of issues) {
    const located = { ...issue, path: [...prefix, ...issue.path] };
    // schema() gives every zod issue a `receivedType`; the core's issues have none.
    const fromZod = 'receivedType' in issue && issue.code !== 'custom';
    for (const worded of fromZod ? sentences(located, root) : [located]) {
      const field = fieldName(worded.path, root);
      if (!byField.has(field)) byField.set(field, worded);
    }
  }
  return [...byField.values()];
}

const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: PolyaiError.jsonSchema } } });

/** The seed's named error responses (components.responses), by the status each answers. */
const NAMED_ERRORS: Record<number, [name: string, response: ReturnType<typeof errorResponse>]> = {
  400: ['BadRequest', errorResponse('Validation error.')],
  401: ['Unauthorized', errorResponse('Missing or invalid API key.')],
  404: ['NotFound', errorResponse('Webhook endpoint not found (or it belongs to another account).')],
  409: ['Conflict', errorResponse('Resource limit exceeded (e.g. maximum number of alert rules or webhook endpoints reached).')],
  422: ['UnprocessableEntity', errorResponse('Validation error or malformed resource ID.')],
  500: ['InternalServerError', errorResponse('Internal server error.')],
};

export const POLYAI_ERROR_RESPONSES = Object.fromEntries(Object.values(NAMED_ERRORS));

/**
 * The operations that validate a query or a body: their 400 is the seed's BadRequest. Elsewhere
 * a 400 is only the router's (a bad %-escape, malformed JSON), which the core words.
 */
const VALIDATING_OPERATIONS = new Set(['listWebhookEndpoints', 'createWebhookEndpoint', 'updateWebhookEndpoint']);

/** The seed's error body, `{message}`: one sentence per problem, joined with `; `. */
export const polyaiErrors: ErrorShape = {
  render: (error: CoreError) => ({
    body: { message: error.issues.length ? polyaiIssues(error.issues, 'request body').map((issue) => issue.message).join('; ') : error.message },
  }),
  schema: PolyaiError.jsonSchema,
  /** Exactly a named response's wording and schema, so the document refers to it by name. */
  describe(status: number, operation: DocumentedOperation): ErrorDoc | undefined {
    if (status === 400 && !VALIDATING_OPERATIONS.has(operation.operationId)) return undefined;
    const named = NAMED_ERRORS[status]?.[1];
    return named && { description: named.description, schema: PolyaiError.jsonSchema };
  },
};
