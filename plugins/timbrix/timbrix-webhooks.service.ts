import { Injectable } from '@nestjs/common';
import type { EndpointView, Principal } from '../../src/sdk';
import { PluginEndpoints, PluginEvents, PluginSettings } from '../../src/sdk';
import { organizationFromClaims, toEndpointPatch, webhookCreatedEvent } from './timbrix.mapper';
import type { CreateWebhook, UpdateWebhook } from './timbrix.schemas';

/** Names of the token claims that carry the organization's slug and name (declared in timbrix.plugin.ts). */
type ClaimSettings = { TIMBRIX_ORG_SLUG_CLAIM: string; TIMBRIX_ORG_NAME_CLAIM: string };

/**
 * Timbrix webhooks over the SDK. On these routes the caller's tenant is the organization in the
 * path (the guard has checked the caller's role there), for admins too.
 */
@Injectable()
export class TimbrixWebhooksService {
  constructor(
    private readonly endpoints: PluginEndpoints,
    private readonly events: PluginEvents,
    private readonly settings: PluginSettings<ClaimSettings>,
  ) {}

  /** Creates the webhook, then tells the organization's subscribers (webhook.created, with the organization as the caller's token names it). */
  async create(caller: Principal, body: CreateWebhook): Promise<{ endpoint: EndpointView; secret: string }> {
    const created = await this.endpoints.create(caller, { url: body.url, eventTypes: body.events });
    const claimNames = { slug: this.settings.get('TIMBRIX_ORG_SLUG_CLAIM'), name: this.settings.get('TIMBRIX_ORG_NAME_CLAIM') };
    await this.events.publish(caller, webhookCreatedEvent(created.endpoint, organizationFromClaims(caller.tenant, caller, claimNames)));
    return created;
  }

  list(caller: Principal): Promise<EndpointView[]> {
    return this.endpoints.listAll(caller);
  }

  get(caller: Principal, id: string): Promise<EndpointView> {
    return this.endpoints.get(caller, id);
  }

  update(caller: Principal, id: string, body: UpdateWebhook): Promise<EndpointView> {
    return this.endpoints.update(caller, id, toEndpointPatch(body));
  }

  /** Queued deliveries of the webhook stop at once (the core marks them dead). */
  remove(caller: Principal, id: string): Promise<void> {
    return this.endpoints.remove(caller, id);
  }
}
