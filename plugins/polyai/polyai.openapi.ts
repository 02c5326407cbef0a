import { applyDecorators, HttpCode } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiResponse } from '@nestjs/swagger';
import { ENDPOINT_ID_PATTERN } from './polyai.schemas';

/** The document builder registers each plugin's error schema as `<Key>Error`. */
const ERROR_REF = { $ref: '#/components/schemas/PolyaiError' };

/** The seed's response descriptions. */
const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Validation error.',
  401: 'Missing or invalid API key.',
  404: 'Webhook endpoint not found (or it belongs to another account).',
  409: 'Resource limit exceeded (maximum number of webhook endpoints reached).',
  422: 'Validation error or malformed resource ID.',
  500: 'Internal server error.',
};

/** Summary, operationId, status, success schema and every `{message}` error of one operation. */
export function PolyaiOperation(op: { operationId: string; summary: string; status: number; description: string; schema?: object; errors: number[] }): MethodDecorator {
  return applyDecorators(
    ApiOperation({ operationId: op.operationId, summary: op.summary }),
    HttpCode(op.status),
    ApiResponse({ status: op.status, description: op.description, ...(op.schema ? { schema: op.schema } : {}) }),
    ...op.errors.map((status) => ApiResponse({ status, description: ERROR_DESCRIPTIONS[status], schema: ERROR_REF })),
  );
}

export const ApiEndpointIdParam = (): MethodDecorator =>
  ApiParam({ name: 'endpoint_id', required: true, description: 'The webhook endpoint id (e.g. whe_9ZtRcXw3nByK5pVqMaEfJs).', schema: { type: 'string', pattern: ENDPOINT_ID_PATTERN } });
