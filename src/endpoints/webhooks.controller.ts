import { Body, Controller, Delete, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Access } from '../auth/access.decorator';
import { CurrentPrincipal, Principal, tenantScope } from '../auth/principal';
import { Scope as S } from '../auth/scopes';
import { CoreOperation } from '../common/api-docs';
import { ValidationFailedError } from '../common/errors';
import { iso } from '../persistence/columns';
import { PluginRegistry, takesEventType } from '../plugins-host/plugin-registry';
import { DeliveriesService } from '../delivery/api/deliveries.service';
import { EventsService } from '../events/events.service';
import { EndpointView } from './endpoint.view';
import { CreatedWebhookDto, CreateWebhookDto, RecoverDto, RecoverResultDto, RotatedSecretDto, SecretDto, TestEventDto, UpdateWebhookDto, WebhookDto, WebhookPageDto } from './endpoint.dto';
import { EndpointsService, TenantScope } from './endpoints.service';
import { ListQueryDto } from '../common/list-query.dto';

export const coreScope = (p: Principal): TenantScope => ({ actor: p.subject, tenant: tenantScope(p), plugin: null });

@ApiTags('core')
@Controller('v1/webhooks')
export class WebhooksController {
  constructor(
    private readonly endpoints: EndpointsService,
    private readonly deliveries: DeliveriesService,
    private readonly events: EventsService,
    private readonly plugins: PluginRegistry,
  ) {}

  @Post()
  @Access({ scopes: [S.WebhooksWrite] })
  @CoreOperation('createWebhook', 'Register an endpoint', [400, 401, 403, 413, 415], 201)
  @ApiCreatedResponse({ type: CreatedWebhookDto })
  async create(@Body() dto: CreateWebhookDto, @CurrentPrincipal() p: Principal): Promise<CreatedWebhookDto> {
    this.checkEventTypes(dto.plugin ?? null, dto.eventTypes);
    const { endpoint, secret } = await this.endpoints.create(coreScope(p), { ...dto, tenant: p.tenant, plugin: dto.plugin ?? null });
    return { ...webhookDto(endpoint), secret };
  }

  @Get()
  @Access({ scopes: [S.WebhooksRead, S.WebhooksWrite] })
  @CoreOperation('listWebhooks', 'List endpoints', [400, 401, 403])
  @ApiOkResponse({ type: WebhookPageDto })
  async list(@Query() q: ListQueryDto, @CurrentPrincipal() p: Principal): Promise<WebhookPageDto> {
    const page = await this.endpoints.list(coreScope(p), q);
    return { data: page.data.map(webhookDto), nextCursor: page.nextCursor };
  }

  @Get(':id')
  @Access({ scopes: [S.WebhooksRead, S.WebhooksWrite] })
  @CoreOperation('getWebhook', 'Get an endpoint', [401, 403, 404])
  @ApiOkResponse({ type: WebhookDto })
  async get(@Param('id') id: string, @CurrentPrincipal() p: Principal): Promise<WebhookDto> {
    return webhookDto(await this.endpoints.get(coreScope(p), id));
  }

  @Patch(':id')
  @Access({ scopes: [S.WebhooksWrite] })
  @CoreOperation('updateWebhook', 'Change an endpoint', [400, 401, 403, 404])
  @ApiOkResponse({ type: WebhookDto })
  async update(@Param('id') id: string, @Body() dto: UpdateWebhookDto, @CurrentPrincipal() p: Principal): Promise<WebhookDto> {
    if (dto.plugin !== undefined) throw new ValidationFailedError([{ path: ['plugin'], code: 'immutable', message: 'plugin cannot be changed; create a new endpoint' }]);
    const current = await this.endpoints.get(coreScope(p), id);
    this.checkEventTypes(current.plugin, dto.eventTypes);
    return webhookDto(await this.endpoints.update(coreScope(p), id, dto));
  }

  @Delete(':id')
  @Access({ scopes: [S.WebhooksWrite] })
  @CoreOperation('deleteWebhook', 'Delete an endpoint (its queued deliveries stop)', [401, 403, 404], 204)
  @ApiNoContentResponse()
  async remove(@Param('id') id: string, @CurrentPrincipal() p: Principal): Promise<void> {
    await this.endpoints.remove(coreScope(p), id);
  }

  @Post(':id/enable')
  @Access({ scopes: [S.WebhooksWrite] })
  @CoreOperation('enableWebhook', 'Enable an endpoint (held deliveries are sent)', [401, 403, 404])
  @ApiOkResponse({ type: WebhookDto })
  async enable(@Param('id') id: string, @CurrentPrincipal() p: Principal): Promise<WebhookDto> {
    return webhookDto(await this.endpoints.setEnabled(coreScope(p), id, true));
  }

  @Post(':id/disable')
  @Access({ scopes: [S.WebhooksWrite] })
  @CoreOperation('disableWebhook', 'Disable an endpoint (it matches no events)', [401, 403, 404])
  @ApiOkResponse({ type: WebhookDto })
  async disable(@Param('id') id: string, @CurrentPrincipal() p: Principal): Promise<WebhookDto> {
    return webhookDto(await this.endpoints.setEnabled(coreScope(p), id, false));
  }

  @Post(':id/rotate-secret')
  @Access({ scopes: [S.WebhooksWrite] })
  @CoreOperation('rotateWebhookSecret', 'Rotate the signing secret (the old one signs during a grace period)', [401, 403, 404])
  @ApiOkResponse({ type: RotatedSecretDto })
  rotate(@Param('id') id: string, @CurrentPrincipal() p: Principal): Promise<RotatedSecretDto> {
    return this.endpoints.rotateSecret(coreScope(p), id);
  }

  @Get(':id/secret')
  @Access({ scopes: [S.WebhooksWrite] })
  @CoreOperation('getWebhookSecret', 'Get the current signing secret', [401, 403, 404])
  @ApiOkResponse({ type: SecretDto })
  async secret(@Param('id') id: string, @CurrentPrincipal() p: Principal): Promise<SecretDto> {
    return { secret: await this.endpoints.currentSecret(coreScope(p), id) };
  }

  @Post(':id/recover')
  @Access({ scopes: [S.DeliveriesWrite, S.WebhooksWrite] })
  @CoreOperation('recoverWebhook', 'Re-send failed and dead deliveries since a time', [400, 401, 403, 404])
  @ApiOkResponse({ type: RecoverResultDto })
  async recover(@Param('id') id: string, @Body() dto: RecoverDto, @CurrentPrincipal() p: Principal): Promise<RecoverResultDto> {
    return { recovered: await this.deliveries.recover(coreScope(p), id, Date.parse(dto.since)) };
  }

  @Post(':id/test')
  @Access({ scopes: [S.WebhooksWrite] })
  @CoreOperation('testWebhook', 'Send a test event to this endpoint only', [400, 401, 403, 404], 202)
  @ApiAcceptedResponse({ description: 'The test event, queued for this endpoint only', schema: { type: 'object', properties: { id: { type: 'string' }, deliveries: { type: 'integer' } } } })
  async test(@Param('id') id: string, @Body() dto: TestEventDto, @CurrentPrincipal() p: Principal): Promise<{ id: string; deliveries: number }> {
    const endpoint = await this.endpoints.get(coreScope(p), id);
    return this.events.sendTest(endpoint, dto.type ?? 'hookgate.test');
  }

  private checkEventTypes(pluginKey: string | null, eventTypes?: string[]): void {
    if (pluginKey === null) return;
    const plugin = this.plugins.find(pluginKey);
    if (!plugin) throw new ValidationFailedError([{ path: ['plugin'], code: 'invalid', message: `plugin "${pluginKey}" is not enabled on this gateway` }]);
    const unknown = (eventTypes ?? []).filter((t) => !takesEventType(plugin, t));
    if (unknown.length) throw new ValidationFailedError([{ path: ['eventTypes'], code: 'invalid', message: `eventTypes has types ${pluginKey} does not emit: ${unknown.join(', ')}` }]);
  }
}

export function webhookDto(e: EndpointView): WebhookDto {
  return {
    id: e.id,
    plugin: e.plugin,
    tenant: e.tenant,
    url: e.url,
    eventTypes: e.eventTypes,
    description: e.description,
    headers: maskValues(e.headers),
    timeoutMs: e.timeoutMs,
    rateLimitPerSecond: e.rateLimitPerSecond,
    enabled: e.enabled,
    disabledReason: e.disabledReason,
    metadata: e.metadata,
    createdAt: iso(e.createdAt)!,
    updatedAt: iso(e.updatedAt)!,
  };
}

/** Custom headers often carry credentials: their names are shown, their values never. */
export function maskValues(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.keys(headers).map((name) => [name, '********']));
}
