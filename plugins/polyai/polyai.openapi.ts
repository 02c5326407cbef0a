import { applyDecorators, HttpCode } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiResponse } from '@nestjs/swagger';
import {
  CREATE_ENDPOINT_SCHEMA,
  ENDPOINT_ID_PATTERN,
  ERROR_SCHEMA,
  UPDATE_ENDPOINT_SCHEMA,
  WEBHOOK_ENDPOINT_CREATED_SCHEMA,
  WEBHOOK_ENDPOINT_SCHEMA,
  WEBHOOK_EVENT_TYPE_SCHEMA,
} from './polyai.schemas';

const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: ERROR_SCHEMA } } });

/** The seed's named error responses (components.responses), by the status each answers. */
const NAMED_ERRORS: Record<number, [name: string, response: ReturnType<typeof errorResponse>]> = {
  400: ['BadRequest', errorResponse('Validation error.')],
  401: ['Unauthorized', errorResponse('Missing or invalid API key.')],
  404: ['NotFound', errorResponse('Webhook endpoint not found (or it belongs to another account).')],
  409: ['Conflict', errorResponse('Resource limit exceeded (e.g. maximum number of alert rules or webhook endpoints reached).')],
  422: ['UnprocessableEntity', errorResponse('Validation error or malformed resource ID.')],
  500: ['InternalServerError', errorResponse('Internal server error.')],
};

/** The seed's component names: the document builder turns equal inline schemas and responses into `$ref`s to them. */
export const POLYAI_OPENAPI_COMPONENTS = {
  schemas: {
    CreateWebhookEndpointRequest: CREATE_ENDPOINT_SCHEMA,
    UpdateWebhookEndpointRequest: UPDATE_ENDPOINT_SCHEMA,
    WebhookEndpoint: WEBHOOK_ENDPOINT_SCHEMA,
    WebhookEndpointCreateResponse: WEBHOOK_ENDPOINT_CREATED_SCHEMA,
    WebhookEventType: WEBHOOK_EVENT_TYPE_SCHEMA,
  },
  responses: Object.fromEntries(Object.values(NAMED_ERRORS)),
};

/** Summary, operationId, status, success schema and every `{message}` error of one operation. */
export function PolyaiOperation(op: { operationId: string; summary: string; status: number; description: string; schema?: object; errors: number[] }): MethodDecorator {
  return applyDecorators(
    ApiOperation({ operationId: op.operationId, summary: op.summary }),
    HttpCode(op.status),
    ApiResponse({ status: op.status, description: op.description, ...(op.schema ? { schema: op.schema } : {}) }),
    ...op.errors.map((status) => ApiResponse({ status, ...NAMED_ERRORS[status][1] })),
  );
}

export const ApiEndpointIdParam = (): MethodDecorator =>
  ApiParam({ name: 'endpoint_id', required: true, description: 'The webhook endpoint id (e.g. whe_9ZtRcXw3nByK5pVqMaEfJs).', schema: { type: 'string', pattern: ENDPOINT_ID_PATTERN } });
