import { Injectable } from '@nestjs/common';
import { Principal } from '../auth/principal';
import { ValidationFailedError } from '../common/errors';
import { Page, PageQuery } from '../common/pagination';
import { DeliveriesService } from '../delivery/api/deliveries.service';
import { EventsService } from '../events/events.service';
import { PluginRegistry, takesEventType } from '../plugins-host/plugin-registry';
import { coreScope } from './core-scope';
import { CreateWebhookDto, UpdateWebhookDto } from './endpoint.dto';
import { EndpointView } from './endpoint.view';
import { EndpointsService } from './endpoints.service';

/**
 * The /v1 webhooks surface over the endpoints, as a plugin's service is over its own: the
 * caller's scope, and the rules of an endpoint that names its plugin here (the plugin is enabled,
 * emits the event types asked for, and stays the endpoint's for life).
 */
@Injectable()
export class WebhooksService {
  constructor(
    private readonly endpoints: EndpointsService,
    private readonly deliveries: DeliveriesService,
    private readonly events: EventsService,
    private readonly plugins: PluginRegistry,
  ) {}

  create(p: Principal, dto: CreateWebhookDto): Promise<{ endpoint: EndpointView; secret: string }> {
    this.checkEventTypes(dto.plugin ?? null, dto.eventTypes);
    return this.endpoints.create(coreScope(p), { ...dto, tenant: p.tenant, plugin: dto.plugin ?? null });
  }

  list(p: Principal, query: PageQuery & { tenant?: string }): Promise<Page<EndpointView>> {
    return this.endpoints.list(coreScope(p, query.tenant), query);
  }

  get(p: Principal, id: string): Promise<EndpointView> {
    return this.endpoints.get(coreScope(p), id);
  }

  async update(p: Principal, id: string, dto: UpdateWebhookDto): Promise<EndpointView> {
    if (dto.plugin !== undefined) throw new ValidationFailedError([{ path: ['plugin'], code: 'immutable', message: 'plugin cannot be changed; create a new endpoint' }]);
    const current = await this.endpoints.get(coreScope(p), id);
    this.checkEventTypes(current.plugin, dto.eventTypes);
    return this.endpoints.update(coreScope(p), id, dto);
  }

  remove(p: Principal, id: string): Promise<void> {
    return this.endpoints.remove(coreScope(p), id);
  }

  setEnabled(p: Principal, id: string, enabled: boolean): Promise<EndpointView> {
    return this.endpoints.setEnabled(coreScope(p), id, enabled);
  }

  rotateSecret(p: Principal, id: string): Promise<{ secret: string; previousSecretExpiresAt: string | null }> {
    return this.endpoints.rotateSecret(coreScope(p), id);
  }

  currentSecret(p: Principal, id: string): Promise<string> {
    return this.endpoints.currentSecret(coreScope(p), id);
  }

  /** Re-sends the endpoint's failed and dead deliveries created since `since` (ISO 8601); returns how many. */
  recover(p: Principal, id: string, since: string): Promise<number> {
    return this.deliveries.recover(coreScope(p), id, Date.parse(since));
  }

  /** One test event to this endpoint only; a type given as JSON null is absent, as @IsOptional lets it through. */
  async sendTest(p: Principal, id: string, type: string | null | undefined): Promise<{ id: string; deliveries: number }> {
    const endpoint = await this.endpoints.get(coreScope(p), id);
    return this.events.sendTest(endpoint, type ?? 'hookgate.test');
  }

  private checkEventTypes(pluginKey: string | null, eventTypes?: string[]): void {
    if (pluginKey === null) return;
    const plugin = this.plugins.find(pluginKey);
    if (!plugin) throw new ValidationFailedError([{ path: ['plugin'], code: 'invalid', message: `plugin "${pluginKey}" is not enabled on this gateway` }]);
    const unknown = (eventTypes ?? []).filter((t) => !takesEventType(plugin, t));
    if (unknown.length) throw new ValidationFailedError([{ path: ['eventTypes'], code: 'invalid', message: `eventTypes has types ${pluginKey} does not emit: ${unknown.join(', ')}` }]);
  }
}
