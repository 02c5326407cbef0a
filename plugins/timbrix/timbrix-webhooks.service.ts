import { Injectable } from '@nestjs/common';
import type { EndpointView, Principal, TenantScope } from '../../src/sdk';
import { EndpointsService, EventsService, PluginSettings } from '../../src/sdk';
import { TIMBRIX_KEY } from './timbrix.catalogue';
import { organizationFromClaims, TimbrixWebhookFields, toEndpointInput, toEndpointPatch, webhookCreatedEvent } from './timbrix.mapper';

/** The core caps a page at 100; Timbrix lists an organization's webhooks in one array. */
const PAGE_SIZE = 100;

/**
 * Timbrix webhooks over the SDK. The tenant is always the organization in the path (the guard
 * has checked the caller's role there), for admins too.
 */
@Injectable()
export class TimbrixWebhooksService {
  constructor(
    private readonly endpoints: EndpointsService,
    private readonly events: EventsService,
    private readonly settings: PluginSettings,
  ) {}

  /** Creates the webhook, then tells the organization's subscribers (webhook.created, with the organization as the caller's token names it). */
  async create(organizationId: string, caller: Principal, fields: { url: string; events: string[] }): Promise<{ endpoint: EndpointView; secret: string }> {
    const created = await this.endpoints.create(scope(organizationId, caller), toEndpointInput(organizationId, fields));
    const organization = organizationFromClaims(organizationId, caller, { slug: String(this.settings.get('TIMBRIX_ORG_SLUG_CLAIM')), name: String(this.settings.get('TIMBRIX_ORG_NAME_CLAIM')) });
    await this.events.publish(webhookCreatedEvent(created.endpoint, organization));
    return created;
  }

  async list(organizationId: string, caller: Principal): Promise<EndpointView[]> {
    const webhooks: EndpointView[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.endpoints.list(scope(organizationId, caller), { limit: PAGE_SIZE, cursor });
      webhooks.push(...page.data);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return webhooks;
  }

  get(organizationId: string, caller: Principal, id: string): Promise<EndpointView> {
    return this.endpoints.get(scope(organizationId, caller), id);
  }

  update(organizationId: string, caller: Principal, id: string, fields: TimbrixWebhookFields): Promise<EndpointView> {
    return this.endpoints.update(scope(organizationId, caller), id, toEndpointPatch(fields));
  }

  /** Queued deliveries of the webhook stop at once (the core marks them dead). */
  remove(organizationId: string, caller: Principal, id: string): Promise<void> {
    return this.endpoints.remove(scope(organizationId, caller), id);
  }
}

function scope(organizationId: string, caller: Principal): TenantScope {
  return { actor: caller.subject, tenant: organizationId, plugin: TIMBRIX_KEY };
}
