import { BadRequestError, ConflictError, customHeaderIssues, EndpointChange, ValidationFailedError } from '../../src/sdk';
import { endpointFieldsOf } from './svix.mapper';

/**
 * Rules for every create and change of a Svix endpoint, /v1 included: it belongs to an application
 * (its group; /v1 cannot name one, so a Svix endpoint is made under /svix only), no custom header
 * may imitate Svix's own (`svix-*`), and an endpoint uid is unique within its application.
 */
export function svixEndpointRules({ endpoint, siblings }: EndpointChange): void {
  if (endpoint.group === null) {
    throw new BadRequestError('A Svix endpoint belongs to an application: create it with POST /svix/api/v1/app/{app_id}/endpoint');
  }
  const issues = customHeaderIssues(endpoint.headers, ['svix-']);
  if (issues.length) throw new ValidationFailedError(issues);
  const { uid } = endpointFieldsOf(endpoint);
  if (uid !== null && siblings.some((other) => other.group === endpoint.group && endpointFieldsOf(other).uid === uid)) {
    throw new ConflictError(`An endpoint with uid ${uid} already exists in this application`);
  }
}
