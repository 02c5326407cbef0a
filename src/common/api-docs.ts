import { applyDecorators, HttpCode } from '@nestjs/common';
import { ApiExtraModels, ApiOperation, ApiResponse, getSchemaPath } from '@nestjs/swagger';

export class ProblemDto {}

/**
 * Operation docs for the core surface: summary, operationId, and the problem+json error
 * responses that route can give.
 */
export function CoreOperation(operationId: string, summary: string, errors: number[], status = 200): MethodDecorator {
  return applyDecorators(
    ApiOperation({ operationId, summary }),
    HttpCode(status),
    ApiExtraModels(ProblemDto),
    ...errors.map((code) =>
      ApiResponse({ status: code, description: ERROR_DESCRIPTIONS[code] ?? 'Error', content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemDto) } } } }),
    ),
  );
}

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid request (problem+json with per-field errors)',
  401: 'Missing or invalid credentials',
  403: 'The token lacks the required scope',
  404: 'No such object in your tenant',
  409: 'Conflict with the current state',
  413: 'Body larger than 1 MiB',
  415: 'Content-Type is not JSON',
  429: 'Rate limited',
};
