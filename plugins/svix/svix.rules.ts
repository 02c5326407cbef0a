import { ConflictError, customHeaderIssues, EndpointChange, ValidationFailedError } from '../../src/sdk';
import { endpointFieldsOf } from './svix.mapper';

/**
 * Rules for every create and change of a Svix endpoint, /v1 included: no custom header may imitate
 * Svix's own (`svix-*`), and an endpoint uid is unique within its application (its group).
 */
export function svixEndpointRules({ endpoint, siblings }: EndpointChange): void {
  const issues = customHeaderIssues(endpoint.headers, ['svix-']);
  if (issues.length) throw new ValidationFailedError(issues);
  const { uid } = endpointFieldsOf(endpoint);
  if (uid !== null && siblings.some((other) => other.group === endpoint.group && endpointFieldsOf(other).uid === uid)) {
    throw new ConflictError(`An endpoint with uid ${uid} already exists in this application`);
  }
}
