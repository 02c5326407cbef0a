import { STATUS_CODES } from 'node:http';
import type { CoreError, ErrorDoc, ErrorShape, FailedRequest, ValidationIssue } from '../../src/sdk';
import { TIMBRIX_ROUTE_PREFIX } from './timbrix.catalogue';

/** What a caller tried to do, as the Timbrix 403 sentences name it. */
export type WebhookAction = 'create' | 'list' | 'view' | 'update' | 'delete';

/** NestJS's default error body, the one Timbrix answers with. */
export interface TimbrixErrorBody {
  statusCode: number;
  message: string | string[];
  error: string;
}

export const UNAUTHORIZED_MESSAGE = 'Authentication required. Provide a valid bearer token.';
export const WEBHOOK_NOT_FOUND_MESSAGE = 'Webhook not found with the provided ID.';
export const forbiddenMessage = (action: WebhookAction | null): string => `Access denied. Only owners and admins can ${action ?? 'manage'} webhooks.`;

const WEBHOOKS_PATH = new RegExp(`^/${TIMBRIX_ROUTE_PREFIX}/organizations/[^/]+/webhooks(/[^/]+)?/?$`);

/** The webhook route a request was aimed at, if any. */
export function actionOf(request: FailedRequest): WebhookAction | null {
  const match = WEBHOOKS_PATH.exec(request.path);
  if (!match) return null;
  const one = match[1] !== undefined;
  switch (request.method) {
    case 'POST':
      return one ? null : 'create';
    case 'GET':
      return one ? 'view' : 'list';
    case 'PUT':
      return one ? 'update' : null;
    case 'DELETE':
      return one ? 'delete' : null;
    default:
      return null;
  }
}

/**
 * class-validator's sentence for the zod check an issue reports, as NestJS's ValidationPipe would
 * word it; an issue zod words from the schema (the url's, uniqueness) or the core raised keeps its own.
 */
function sentencesOf(issue: ValidationIssue): string[] {
  const field = String(issue.path[0]);
  switch (issue.code) {
    case 'unrecognized_keys':
      return (issue.keys as string[]).map((key) => `property ${key} should not exist`);
    case 'invalid_type':
      if (issue.expected === 'array') return [`${field} must be an array`];
      if (issue.expected === 'boolean') return [`${field} must be a boolean value`];
      break;
    case 'too_small':
      if (issue.origin === 'array' && issue.minimum === 1) return [`${field} should not be empty`];
      break;
    case 'invalid_value':
      if (issue.path.length === 2) return [`each value in ${field} must be one of the following values: ${(issue.values as string[]).join(', ')}`];
      break;
  }
  return [issue.message];
}

/**
 * Timbrix validates with stopAtFirstError: one sentence per field, the first rule it breaks, after
 * one per unknown property (class-validator checks the whitelist first).
 */
function validationMessages(issues: ValidationIssue[]): string[] {
  const firstPerField = new Map<string | number, ValidationIssue>();
  for (const issue of issues) {
    if (!issue.path.length) continue;
    const first = firstPerField.get(issue.path[0]);
    // zod reports an array's elements before its own checks; class-validator checks `each` rules last.
    if (!first || (first.path.length > 1 && issue.path.length === 1)) firstPerField.set(issue.path[0], issue);
  }
  return [...issues.filter((issue) => !issue.path.length), ...firstPerField.values()].flatMap(sentencesOf);
}

function messageOf(error: CoreError, request: FailedRequest | undefined): string | string[] {
  const action = request ? actionOf(request) : null;
  switch (error.code) {
    case 'validation_failed':
      return validationMessages(error.issues);
    case 'unauthorized':
      return UNAUTHORIZED_MESSAGE;
    case 'forbidden':
      return forbiddenMessage(action);
    case 'not_found':
      if (action === 'view' || action === 'update' || action === 'delete') return WEBHOOK_NOT_FOUND_MESSAGE;
      // No such route: Nest's own sentence.
      return request ? `Cannot ${request.method} ${request.path}` : error.message;
    default:
      return error.message;
  }
}

export function timbrixErrorBody(status: number, message: string | string[]): TimbrixErrorBody {
  return { statusCode: status, message, error: STATUS_CODES[status] ?? 'Error' };
}

export const TIMBRIX_ERROR_SCHEMA = {
  type: 'object',
  required: ['statusCode', 'message', 'error'],
  additionalProperties: false,
  properties: {
    statusCode: { type: 'integer', example: 400 },
    message: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }], description: 'One sentence, or one per invalid field' },
    error: { type: 'string', description: 'The HTTP reason phrase', example: 'Bad Request' },
  },
};

const documented = (description: string, status: number, message: string | string[]): ErrorDoc => ({ description, example: timbrixErrorBody(status, message) });

/** Each error response of an operation in the docs: its real sentence as the description and example. */
function describeError(status: number, action: WebhookAction | null): ErrorDoc | undefined {
  switch (status) {
    case 400:
      return action === 'create' || action === 'update'
        ? documented('Invalid input data (one message per invalid field), or a malformed UUID in the path', 400, ['url must be a valid URL', 'events must be an array'])
        : documented('A malformed UUID in the path', 400, 'Validation failed (uuid is expected)');
    case 401:
      return documented(UNAUTHORIZED_MESSAGE, 401, UNAUTHORIZED_MESSAGE);
    case 403:
      return documented(forbiddenMessage(action), 403, forbiddenMessage(action));
    case 404:
      return documented('No webhook with this ID in the organization', 404, WEBHOOK_NOT_FOUND_MESSAGE);
    default:
      return undefined;
  }
}

export const timbrixErrors: ErrorShape = {
  render: (error, request) => ({ body: timbrixErrorBody(error.status, messageOf(error, request)) }),
  schema: TIMBRIX_ERROR_SCHEMA,
  describe: (status, { method, path }) => describeError(status, actionOf({ method: method.toUpperCase(), path })),
};
