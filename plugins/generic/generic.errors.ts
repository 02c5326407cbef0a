import type { CoreError, DocumentedOperation, ErrorShape } from '../../src/sdk';

/** This surface's wording of the error statuses its routes document. */
const STATUS_DESCRIPTIONS: Record<number, string> = {
  401: 'Missing, expired or invalid bearer token',
  403: 'The token lacks the required scope',
  409: 'The account already has a webhook of this kind: use PUT',
};

/**
 * The provider reports the first rule that fails, and an unknown field comes before any field's
 * own rules (zod lists it after them).
 */
function firstRule(error: CoreError): string {
  return error.issues.find((issue) => issue.code === 'unrecognized_keys')?.message ?? error.message;
}

/**
 * Every error on /generic is `{ "message": "<one sentence>" }` with the status of the core error
 * (the provider documents no error body; a validation failure names the first rule that failed,
 * worded by the body's schema).
 */
export const genericErrors: ErrorShape = {
  render: (error: CoreError) => ({ body: { message: firstRule(error) } }),
  schema: {
    type: 'object',
    required: ['message'],
    additionalProperties: false,
    properties: { message: { type: 'string', example: 'token is required when authType is bearer' } },
  },
  describe(status: number, operation: DocumentedOperation) {
    if (status === 400) {
      // Only the routes that change an existing hook can miss it; POST can only break a rule.
      return { description: operation.method === 'post' ? 'A validation rule failed (the message names it)' : 'A validation rule failed (the message names it), or "Webhook not found"' };
    }
    const description = STATUS_DESCRIPTIONS[status];
    return description ? { description } : undefined;
  },
};
