import { ConflictError, customHeaderIssues, EndpointChange, ValidationFailedError, ValidationIssue } from '../../src/sdk';

export const MAX_ENDPOINTS_PER_ACCOUNT = 10;

/** PolyAI's own delivery headers, which an endpoint's custom headers must not imitate. */
const POLYAI_HEADER_PREFIX = 'x-polyai-';

/** Custom delivery headers: the SDK's rule, plus PolyAI's own header family. */
export function headerIssues(headers: Record<string, string> | undefined): ValidationIssue[] {
  return customHeaderIssues(headers, [POLYAI_HEADER_PREFIX]);
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
