import type { CoreError, ErrorShape } from '../../src/sdk';

/**
 * Every error on /generic is `{ "message": "<one sentence>" }` with the status of the core error
 * (the provider documents no error body; a validation failure names the first rule that failed).
 */
export const genericErrors: ErrorShape = {
  render: (error: CoreError) => ({ body: { message: error.message } }),
  schema: {
    type: 'object',
    required: ['message'],
    additionalProperties: false,
    properties: { message: { type: 'string', example: 'token is required when authType is bearer' } },
  },
};
