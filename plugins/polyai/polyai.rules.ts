import { randomInt } from 'node:crypto';
import { ConflictError, EndpointChange, ValidationFailedError } from '../../src/sdk';
import { MAX_ENDPOINTS_PER_ACCOUNT } from './polyai.schemas';
import { headerIssues } from './polyai.validation';

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** `whe_` + 22 random base62 characters, the provider's id format. */
export function newEndpointId(): string {
  return `whe_${Array.from({ length: 22 }, () => ID_ALPHABET[randomInt(ID_ALPHABET.length)]).join('')}`;
}

/**
 * PolyAI's account rules, which the core applies to every create and update of a PolyAI endpoint
 * from any surface (/v1 included): at most ten endpoints per account, no `X-PolyAI-*` custom headers.
 */
export function polyaiEndpointRules({ endpoint, previous, siblings }: EndpointChange): void {
  if (!previous && siblings.length >= MAX_ENDPOINTS_PER_ACCOUNT) {
    throw new ConflictError(`This account already has the maximum of ${MAX_ENDPOINTS_PER_ACCOUNT} webhook endpoints; delete one before creating another`);
  }
  const issues = headerIssues(endpoint.headers);
  if (issues.length) throw new ValidationFailedError(issues);
}
