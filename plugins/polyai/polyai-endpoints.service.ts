import { Injectable } from '@nestjs/common';
import { randomInt } from 'node:crypto';
import { ConflictError, EndpointsService, EndpointView, Principal, TenantScope } from '../../src/sdk';
import { toCreateInput, toEndpointPatch, toListQuery } from './polyai.mapper';
import { CreateWebhookEndpointRequest, ListWebhookEndpointsQuery, MAX_ENDPOINTS_PER_ACCOUNT, POLYAI_PLUGIN_KEY, UpdateWebhookEndpointRequest } from './polyai.schemas';

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** Lists are not paginated on this surface; the account limit keeps them far below this. */
const LIST_ALL = 100;

/** `whe_` + 22 random base62 characters, the provider's id format. */
export function newEndpointId(): string {
  return `whe_${Array.from({ length: 22 }, () => ID_ALPHABET[randomInt(ID_ALPHABET.length)]).join('')}`;
}

/** PolyAI's rules over the unified endpoints: one account per API key, at most ten endpoints, no rotation grace. */
@Injectable()
export class PolyaiEndpointsService {
  constructor(private readonly endpoints: EndpointsService) {}

  async create(caller: Principal, body: CreateWebhookEndpointRequest): Promise<{ endpoint: EndpointView; secret: string }> {
    return this.endpoints.create(scopeOf(caller), { ...toCreateInput(caller.tenant, newEndpointId(), body), admit: refuseBeyondLimit });
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

function refuseBeyondLimit(siblings: EndpointView[]): void {
  if (siblings.length >= MAX_ENDPOINTS_PER_ACCOUNT) {
    throw new ConflictError(`This account already has the maximum of ${MAX_ENDPOINTS_PER_ACCOUNT} webhook endpoints; delete one before creating another`);
  }
}
