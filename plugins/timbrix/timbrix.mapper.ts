import type { CreateEndpointInput, EndpointInput, EndpointView, PluginEvent, PublishInput } from '../../src/sdk';
import { iso } from '../../src/sdk';
import { TIMBRIX_KEY } from './timbrix.catalogue';

/** Pure mappings between the Timbrix shapes and the unified model. */

/** A webhook as Timbrix shows it (list, get, update). */
export interface TimbrixWebhook {
  id: string;
  organizationId: string;
  url: string;
  events: string[];
  isActive: boolean;
  createdAt: string;
  updatedAt: string;
}

/** The create answer: the only time the signing secret is shown. */
export interface TimbrixWebhookWithSecret extends TimbrixWebhook {
  secret: string;
}

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

export interface TimbrixWebhookFields {
  url?: string;
  events?: string[];
  isActive?: boolean;
}

export function toTimbrixWebhook(e: EndpointView): TimbrixWebhook {
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
export function toTimbrixWebhookWithSecret(e: EndpointView, secret: string): TimbrixWebhookWithSecret {
  const { createdAt, updatedAt, ...head } = toTimbrixWebhook(e);
  return { ...head, secret, createdAt, updatedAt };
}

export function toEndpointInput(organizationId: string, fields: { url: string; events: string[] }): CreateEndpointInput {
  return { tenant: organizationId, url: fields.url, eventTypes: fields.events };
}

/** Partial update: absent fields stay as they are (the core ignores undefined ones). */
export function toEndpointPatch(fields: TimbrixWebhookFields): Partial<EndpointInput> {
  return { url: fields.url, eventTypes: fields.events, enabled: fields.isActive };
}

/**
 * The organization an event is about: its published `context.organization`, or — for events the
 * gateway makes itself without knowing the organization's slug and name (webhook.created, core
 * test sends) — the event's tenant with empty slug and name, so the documented types still hold.
 */
export function organizationOf(event: Pick<PluginEvent, 'tenant' | 'context'>): TimbrixOrganization {
  const published = event.context?.organization as Partial<TimbrixOrganization> | undefined;
  if (published && typeof published === 'object') {
    return { id: String(published.id), slug: String(published.slug), name: String(published.name) };
  }
  return unknownOrganization(event.tenant);
}

export function unknownOrganization(organizationId: string): TimbrixOrganization {
  return { id: organizationId, slug: '', name: '' };
}

export function toDeliveryBody(event: PluginEvent): TimbrixDeliveryBody {
  return { event: event.type, organization: organizationOf(event), data: event.data, timestamp: iso(event.createdAt)! };
}

/** The event announcing a new webhook to its organization's subscribers (never with the secret). */
export function webhookCreatedEvent(e: EndpointView): PublishInput {
  return {
    tenant: e.tenant,
    plugin: TIMBRIX_KEY,
    type: 'webhook.created',
    data: toTimbrixWebhook(e),
    context: { organization: unknownOrganization(e.tenant) },
  };
}
