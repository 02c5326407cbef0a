import { Injectable } from '@nestjs/common';
import { EndpointsService, EndpointView, Principal, TenantScope } from '../../src/sdk';
import { toCreateInput, toEndpointPatch, toListQuery } from './polyai.mapper';
import { CreateWebhookEndpointRequest, ListWebhookEndpointsQuery, POLYAI_PLUGIN_KEY, UpdateWebhookEndpointRequest } from './polyai.schemas';

/** Lists are not paginated on this surface; the account limit keeps them far below this. */
const LIST_ALL = 100;

/** PolyAI's surface over the unified endpoints: one account per API key, no rotation grace (its limits: polyai.rules.ts). */
@Injectable()
export class PolyaiEndpointsService {
  constructor(private readonly endpoints: EndpointsService) {}

  async create(caller: Principal, body: CreateWebhookEndpointRequest): Promise<{ endpoint: EndpointView; secret: string }> {
    return this.endpoints.create(scopeOf(caller), toCreateInput(caller.tenant, body));
  }

  async list(caller: Principal, query: ListWebhookEndpointsQuery): Promise<EndpointView[]> {
    return (await this.endpoints.list(scopeOf(caller), toListQuery(query, LIST_ALL))).data;
  }

  get(caller: Principal, id: string): Promise<EndpointView> {
    return this.endpoints.get(scopeOf(caller), id);
  }

  update(caller: Principal, id: string, body: UpdateWebhookEndpointRequest): Promise<EndpointView> {
    return this.endpoints.update(scopeOf(caller), id, toEndpointPatch(body));
  }

  remove(caller: Principal, id: string): Promise<void> {
    return this.endpoints.remove(scopeOf(caller), id);
  }

  /** The old secret stops signing at once (no grace period on this surface). */
  async rotateSecret(caller: Principal, id: string): Promise<string> {
    return (await this.endpoints.rotateSecret(scopeOf(caller), id, 0)).secret;
  }
}

function scopeOf(caller: Principal): TenantScope {
  return { actor: caller.subject, tenant: caller.tenant, plugin: POLYAI_PLUGIN_KEY };
}
