import type { EndpointInput, EndpointView, NewEvent, PluginEvent, Principal } from '../../src/sdk';
import { claimAt, iso } from '../../src/sdk';
import type { UpdateWebhook, Webhook, WebhookWithSecret } from './timbrix.schemas';

/** Pure mappings between the Timbrix shapes and the unified model. */

export interface TimbrixOrganization {
  id: string;
  slug: string;
  name: string;
}

/** What a receiver gets: the seed's payload. */
export interface TimbrixDeliveryBody {
  event: string;
  organization: TimbrixOrganization;
  data: unknown;
  timestamp: string;
}

export function toTimbrixWebhook(e: EndpointView): Webhook {
  return {
    id: e.id,
    organizationId: e.tenant,
    url: e.url,
    events: e.eventTypes,
    isActive: e.enabled,
    createdAt: iso(e.createdAt)!,
    updatedAt: iso(e.updatedAt)!,
  };
}

/** Same fields in the seed's order, with the secret between isActive and createdAt. */
export function toTimbrixWebhookWithSecret(e: EndpointView, secret: string): WebhookWithSecret {
  const { createdAt, updatedAt, ...head } = toTimbrixWebhook(e);
  return { ...head, secret, createdAt, updatedAt };
}

/** Partial update: absent fields stay as they are (the core ignores undefined ones). */
export function toEndpointPatch(fields: UpdateWebhook): Partial<EndpointInput> {
  return { url: fields.url, eventTypes: fields.events, enabled: fields.isActive };
}

/**
 * The organization an event is about, never with an empty slug or name: what the publisher's
 * `context.organization` says (for the gateway's own events, what it knew: webhook.created
 * carries the caller's token claims), completed by `withFallbacks` (core test sends, events
 * stored before the fallbacks existed).
 */
export function organizationOf(event: Pick<PluginEvent, 'tenant' | 'context'>): TimbrixOrganization {
  const published = event.context?.organization;
  const known = typeof published === 'object' && published !== null ? (published as Record<string, unknown>) : {};
  return withFallbacks(nonEmpty(known.id) ?? event.tenant, { slug: nonEmpty(known.slug), name: nonEmpty(known.name) });
}

/**
 * The seed's payload has no optional or nullable field, so what nobody knows is filled in rather
 * than left empty or null: the slug falls back to the organization id, the name to the slug.
 */
export function withFallbacks(id: string, known: Partial<Omit<TimbrixOrganization, 'id'>>): TimbrixOrganization {
  const slug = known.slug ?? id;
  return { id, slug, name: known.name ?? slug };
}

/** Names of the token claims that carry the caller's organization slug and name (TIMBRIX_ORG_*_CLAIM). */
export interface OrganizationClaimNames {
  slug: string;
  name: string;
}

/**
 * The slug and name the caller's token gives for this organization. A claim holding a string
 * counts only when the token's `org_roles` name this organization alone (a token for several
 * organizations does not say which one the string is about); a claim holding an object is read
 * by organization id (`{"<organizationId>": "acme-corp"}`).
 */
export function organizationFromClaims(organizationId: string, caller: Pick<Principal, 'claims' | 'orgRoles'>, names: OrganizationClaimNames): Partial<Omit<TimbrixOrganization, 'id'>> {
  const roles = Object.keys(caller.orgRoles);
  const aboutThisOrganizationOnly = roles.length === 1 && roles[0] === organizationId;
  const read = (claim: string): string | undefined => {
    const value = claimAt(caller.claims, claim);
    if (typeof value === 'string') return aboutThisOrganizationOnly ? nonEmpty(value) : undefined;
    return typeof value === 'object' && value !== null ? nonEmpty((value as Record<string, unknown>)[organizationId]) : undefined;
  };
  return { slug: read(names.slug), name: read(names.name) };
}

const nonEmpty = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value : undefined);

export function toDeliveryBody(event: PluginEvent): TimbrixDeliveryBody {
  return { event: event.type, organization: organizationOf(event), data: event.data, timestamp: iso(event.createdAt)! };
}

/** The event announcing a new webhook to its organization's subscribers (never with the secret). */
export function webhookCreatedEvent(e: EndpointView, organization: Partial<Omit<TimbrixOrganization, 'id'>>): NewEvent {
  return {
    type: 'webhook.created',
    data: toTimbrixWebhook(e),
    context: { organization: withFallbacks(e.tenant, organization) },
  };
}
