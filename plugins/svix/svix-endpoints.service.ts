import { Injectable } from '@nestjs/common';
import { NotFoundError, PluginDeliveries, PluginEndpoints, uuidv7 } from '../../src/sdk';
import type { EndpointView, Principal } from '../../src/sdk';
import { SvixApplications } from './svix-applications.service';
import { missingAsNull } from './svix.errors';
import { headersOut, ownKey, pageRequest, signingSecretOf, toEndpointChange, toEndpointInput, toEndpointOut, toListResponse } from './svix.mapper';
import type {
  EndpointHeadersIn,
  EndpointHeadersOut,
  EndpointHeadersPatchIn,
  EndpointIn,
  EndpointOut,
  EndpointPatch,
  EndpointSecretRotateIn,
  EndpointStats,
  EndpointUpdate,
  ListQuery,
  ListResponse,
  RecoverIn,
  RecoverOut,
  StatsQuery,
} from './svix.schemas';

/** Svix's default grace period for a rotated secret: 24 hours. */
const ROTATION_GRACE_SECONDS = 86400;

/** An application's endpoints: core endpoints of this plugin grouped under the application's id. */
@Injectable()
export class SvixEndpoints {
  constructor(
    private readonly apps: SvixApplications,
    private readonly endpoints: PluginEndpoints,
    private readonly deliveries: PluginDeliveries,
  ) {}

  /** The endpoint by id or uid within the application (resolved by id or uid too); 404 otherwise. */
  async resolve(caller: Principal, appIdOrUid: string, idOrUid: string): Promise<EndpointView> {
    const app = await this.apps.resolve(caller, appIdOrUid);
    const byId = await this.endpoints.get(caller, idOrUid).catch(missingAsNull);
    if (byId && byId.group === app.id) return byId;
    const [byUid] = await this.endpoints.listAll(caller, { group: app.id, metadata: { uid: idOrUid } });
    if (!byUid) throw new NotFoundError(`Endpoint ${idOrUid} not found`);
    return byUid;
  }

  /** Oldest first unless `order=descending`, as Svix lists them; paged in SQL on the group's index. */
  async list(caller: Principal, appIdOrUid: string, query: ListQuery): Promise<ListResponse<EndpointOut>> {
    const app = await this.apps.resolve(caller, appIdOrUid);
    const request = pageRequest(query, 'asc');
    return toListResponse(await this.endpoints.list(caller, { group: app.id, ...request.page }), request, ownKey, toEndpointOut);
  }

  async create(caller: Principal, appIdOrUid: string, body: EndpointIn): Promise<EndpointOut> {
    const app = await this.apps.resolve(caller, appIdOrUid);
    const { endpoint } = await this.endpoints.create(caller, { ...toEndpointInput(body), group: app.id, ...(body.secret ? { secret: signingSecretOf(body.secret) } : {}) });
    return toEndpointOut(endpoint);
  }

  async get(caller: Principal, appIdOrUid: string, idOrUid: string): Promise<EndpointOut> {
    return toEndpointOut(await this.resolve(caller, appIdOrUid, idOrUid));
  }

  /** PUT replaces the endpoint's Svix fields (its secret and headers stay). */
  async update(caller: Principal, appIdOrUid: string, idOrUid: string, body: EndpointUpdate): Promise<EndpointOut> {
    const current = await this.resolve(caller, appIdOrUid, idOrUid);
    return toEndpointOut(await this.endpoints.update(caller, current.id, toEndpointInput(body)));
  }

  async patch(caller: Principal, appIdOrUid: string, idOrUid: string, body: EndpointPatch): Promise<EndpointOut> {
    const current = await this.resolve(caller, appIdOrUid, idOrUid);
    return toEndpointOut(await this.endpoints.update(caller, current.id, toEndpointChange(current, body)));
  }

  async remove(caller: Principal, appIdOrUid: string, idOrUid: string): Promise<void> {
    await this.endpoints.remove(caller, (await this.resolve(caller, appIdOrUid, idOrUid)).id);
  }

  async secret(caller: Principal, appIdOrUid: string, idOrUid: string): Promise<{ key: string }> {
    return { key: await this.endpoints.currentSecret(caller, (await this.resolve(caller, appIdOrUid, idOrUid)).id) };
  }

  /** The old secret keeps signing for `gracePeriodSeconds` (default 24 h), so receivers can switch. */
  async rotateSecret(caller: Principal, appIdOrUid: string, idOrUid: string, body: EndpointSecretRotateIn): Promise<void> {
    const endpoint = await this.resolve(caller, appIdOrUid, idOrUid);
    await this.endpoints.rotateSecret(caller, endpoint.id, (body.gracePeriodSeconds ?? ROTATION_GRACE_SECONDS) * 1000, body.key ? signingSecretOf(body.key) : undefined);
  }

  async headers(caller: Principal, appIdOrUid: string, idOrUid: string): Promise<EndpointHeadersOut> {
    return headersOut((await this.resolve(caller, appIdOrUid, idOrUid)).headers);
  }

  async replaceHeaders(caller: Principal, appIdOrUid: string, idOrUid: string, body: EndpointHeadersIn): Promise<void> {
    await this.endpoints.update(caller, (await this.resolve(caller, appIdOrUid, idOrUid)).id, { headers: body.headers });
  }

  /** Sets the headers given (a null value removes one) and removes those in `deleteHeaders`; names match case-insensitively. */
  async patchHeaders(caller: Principal, appIdOrUid: string, idOrUid: string, body: EndpointHeadersPatchIn): Promise<void> {
    const endpoint = await this.resolve(caller, appIdOrUid, idOrUid);
    const removed = new Set([...(body.deleteHeaders ?? []), ...Object.keys(body.headers ?? {})].map((name) => name.toLowerCase()));
    const kept = Object.entries(endpoint.headers).filter(([name]) => !removed.has(name.toLowerCase()));
    const set = Object.entries(body.headers ?? {}).filter((entry): entry is [string, string] => entry[1] !== null);
    await this.endpoints.update(caller, endpoint.id, { headers: Object.fromEntries([...kept, ...set]) });
  }

  /** Re-sends the endpoint's failed messages created in [since, until); done at once, so the task is `finished`. */
  async recover(caller: Principal, appIdOrUid: string, idOrUid: string, body: RecoverIn): Promise<RecoverOut> {
    const endpoint = await this.resolve(caller, appIdOrUid, idOrUid);
    await this.deliveries.recover(caller, endpoint.id, Date.parse(body.since), body.until ? Date.parse(body.until) : undefined);
    return { id: `qtask_${uuidv7().replace(/-/g, '')}`, status: 'finished', task: 'endpoint.recover', updatedAt: new Date().toISOString() };
  }

  /** Messages per state at this endpoint, by when they were created. */
  async stats(caller: Principal, appIdOrUid: string, idOrUid: string, query: StatsQuery): Promise<EndpointStats> {
    const endpoint = await this.resolve(caller, appIdOrUid, idOrUid);
    const counts = await this.deliveries.countByStatus(caller, { endpointId: endpoint.id, since: query.since, until: query.until });
    return { success: counts.succeeded, pending: counts.pending + counts.failed + counts.held, sending: 0, fail: counts.dead, canceled: 0 };
  }
}
