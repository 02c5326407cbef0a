import { applyDecorators } from '@nestjs/common';
import { ApiOperation, ApiResponse } from '@nestjs/swagger';
import { PLUGIN_ERROR_SCHEMA_REF } from '../../src/sdk';
import { forbiddenMessage, timbrixErrorBody, UNAUTHORIZED_MESSAGE, WebhookAction, WEBHOOK_NOT_FOUND_MESSAGE } from './timbrix.errors';

const ERROR_EXAMPLES = (action: WebhookAction): Record<number, { description: string; body: unknown }> => ({
  400: action === 'create' || action === 'update'
    ? { description: 'Invalid input data (one message per invalid field), or a malformed UUID in the path', body: timbrixErrorBody(400, ['url must be a valid URL', 'events must be an array']) }
    : { description: 'A malformed UUID in the path', body: timbrixErrorBody(400, 'Validation failed (uuid is expected)') },
  401: { description: UNAUTHORIZED_MESSAGE, body: timbrixErrorBody(401, UNAUTHORIZED_MESSAGE) },
  403: { description: forbiddenMessage(action), body: timbrixErrorBody(403, forbiddenMessage(action)) },
  404: { description: 'No webhook with this ID in the organization', body: timbrixErrorBody(404, WEBHOOK_NOT_FOUND_MESSAGE) },
});

/** Operation docs: summary, operationId, and each error response in the Timbrix shape with its real message. */
export function TimbrixOperation(operationId: string, summary: string, action: WebhookAction, errors: (400 | 401 | 403 | 404)[]): MethodDecorator {
  const examples = ERROR_EXAMPLES(action);
  return applyDecorators(
    ApiOperation({ operationId, summary }),
    ...errors.map((status) =>
      ApiResponse({ status, description: examples[status].description, content: { 'application/json': { schema: { $ref: PLUGIN_ERROR_SCHEMA_REF }, example: examples[status].body } } }),
    ),
  );
}
