import type { DeliveryProfile, EndpointView, PluginEvent, ValidationIssue } from '../../src/sdk';
import { hexHmac, isUuid } from '../../src/sdk';
import { organizationOf, toDeliveryBody } from './timbrix.mapper';

/**
 * The seed's wire: body `{event, organization, data, timestamp}`, `X-Webhook-Signature` = hex
 * HMAC-SHA256 of the raw body keyed by the secret string, retried after 1 s, 5 s and 30 s.
 */
export const timbrixDelivery: DeliveryProfile = {
  envelope: (event) => toDeliveryBody(event),
  headers: ({ body, secrets, event, deliveryId }) => ({
    // Timbrix has no rotation: the newest secret signs (the seed's check compares one digest).
    'X-Webhook-Signature': hexHmac(secrets[0], body),
    'X-Webhook-Event': event.type,
    'X-Webhook-Id': deliveryId,
  }),
  retry: { schedule: ['1s', '5s', '30s'] },
};

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A published event must say which organization it is about; receivers read it from the body. */
export function validateTimbrixEvent(event: { data: unknown; context: Record<string, unknown> | null }): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (!isObject(event.data)) issues.push({ path: ['data'], code: 'isObject', message: 'data must be an object' });
  const organization = event.context?.organization;
  if (!isObject(organization)) {
    issues.push({ path: ['context', 'organization'], code: 'isObject', message: 'context.organization must be an object with id, slug and name' });
    return issues;
  }
  if (typeof organization.id !== 'string' || !isUuid(organization.id)) {
    issues.push({ path: ['context', 'organization', 'id'], code: 'isUuid', message: 'context.organization.id must be a UUID' });
  }
  for (const field of ['slug', 'name']) {
    const value = organization[field];
    if (typeof value !== 'string') issues.push({ path: ['context', 'organization', field], code: 'isString', message: `context.organization.${field} must be a string` });
    // Receivers rely on them: an empty one is refused rather than delivered.
    else if (value.trim() === '') issues.push({ path: ['context', 'organization', field], code: 'isNotEmpty', message: `context.organization.${field} must not be empty` });
  }
  return issues;
}

/**
 * Only the organization the event names may receive it: an event published for tenant A about
 * organization B reaches nobody, rather than B's data reaching A's receivers.
 */
export function isAboutEndpointOrganization(endpoint: EndpointView, event: PluginEvent): boolean {
  return organizationOf(event).id === endpoint.tenant;
}
