import { STATUS_CODES } from 'node:http';
import type { CoreError, ErrorShape, FailedRequest } from '../../src/sdk';
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

function messageOf(error: CoreError, request: FailedRequest | undefined): string | string[] {
  const action = request ? actionOf(request) : null;
  switch (error.code) {
    case 'validation_failed':
      return error.issues.map((i) => i.message);
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

export const timbrixErrors: ErrorShape = {
  render: (error, request) => ({ body: timbrixErrorBody(error.status, messageOf(error, request)) }),
  schema: TIMBRIX_ERROR_SCHEMA,
};
