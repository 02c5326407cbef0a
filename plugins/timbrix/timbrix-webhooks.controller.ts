import { Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Put } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import type { AccessRule, Principal } from '../../src/sdk';
import { Access, CurrentPrincipal } from '../../src/sdk';
import { TIMBRIX_KEY } from './timbrix.catalogue';
import { TimbrixBody } from './timbrix-body';
import { CreateTimbrixWebhookDto, TimbrixWebhookDto, TimbrixWebhookWithSecretDto, UpdateTimbrixWebhookDto } from './timbrix.dto';
import { TimbrixWebhook, TimbrixWebhookWithSecret, toTimbrixWebhook, toTimbrixWebhookWithSecret } from './timbrix.mapper';
import { TimbrixOperation } from './timbrix.openapi';
import { TimbrixWebhooksService } from './timbrix-webhooks.service';

/** Only the organization's owners and admins manage its webhooks (and gateway admins). */
const ORG_ADMINS: AccessRule = { orgRoles: ['OWNER', 'ADMIN'], orgParam: 'organizationId' };

@ApiTags(TIMBRIX_KEY)
@ApiParam({ name: 'organizationId', format: 'uuid', description: 'Organization ID' })
@Controller('organizations/:organizationId/webhooks')
export class TimbrixWebhooksController {
  constructor(private readonly webhooks: TimbrixWebhooksService) {}

  @Post()
  @Access(ORG_ADMINS)
  @TimbrixOperation('WebhooksController_create', 'Create a new webhook', 'create', [400, 401, 403])
  @ApiBody({ type: CreateTimbrixWebhookDto })
  @ApiCreatedResponse({ type: TimbrixWebhookWithSecretDto, description: 'Webhook created. Returns its configuration with the signing secret (shown only here).' })
  async create(
    @Param('organizationId', ParseUUIDPipe) organizationId: string,
    @TimbrixBody() dto: CreateTimbrixWebhookDto,
    @CurrentPrincipal() caller: Principal,
  ): Promise<TimbrixWebhookWithSecret> {
    const { endpoint, secret } = await this.webhooks.create(organizationId, caller, dto);
    return toTimbrixWebhookWithSecret(endpoint, secret);
  }

  @Get()
  @Access(ORG_ADMINS)
  @TimbrixOperation('WebhooksController_findAll', "List the organization's webhooks", 'list', [400, 401, 403])
  @ApiOkResponse({ type: TimbrixWebhookDto, isArray: true, description: 'Every webhook of the organization, newest first, without secrets' })
  async list(@Param('organizationId', ParseUUIDPipe) organizationId: string, @CurrentPrincipal() caller: Principal): Promise<TimbrixWebhook[]> {
    return (await this.webhooks.list(organizationId, caller)).map(toTimbrixWebhook);
  }

  @Get(':id')
  @Access(ORG_ADMINS)
  @TimbrixOperation('WebhooksController_findOne', 'Get a webhook', 'view', [400, 401, 403, 404])
  @ApiParam({ name: 'id', format: 'uuid', description: 'Webhook ID' })
  @ApiOkResponse({ type: TimbrixWebhookDto, description: 'The webhook, without its secret' })
  async get(
    @Param('organizationId', ParseUUIDPipe) organizationId: string,
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentPrincipal() caller: Principal,
  ): Promise<TimbrixWebhook> {
    return toTimbrixWebhook(await this.webhooks.get(organizationId, caller, id));
  }

  @Put(':id')
  @Access(ORG_ADMINS)
  @TimbrixOperation('WebhooksController_update', 'Update a webhook (url, events, isActive; absent fields are kept)', 'update', [400, 401, 403, 404])
  @ApiParam({ name: 'id', format: 'uuid', description: 'Webhook ID' })
  @ApiBody({ type: UpdateTimbrixWebhookDto })
  @ApiOkResponse({ type: TimbrixWebhookDto, description: 'Webhook updated with the new configuration (no secret)' })
  async update(
    @Param('organizationId', ParseUUIDPipe) organizationId: string,
    @Param('id', ParseUUIDPipe) id: string,
    @TimbrixBody() dto: UpdateTimbrixWebhookDto,
    @CurrentPrincipal() caller: Principal,
  ): Promise<TimbrixWebhook> {
    return toTimbrixWebhook(await this.webhooks.update(organizationId, caller, id, dto));
  }

  @Delete(':id')
  @HttpCode(204)
  @Access(ORG_ADMINS)
  @TimbrixOperation('WebhooksController_remove', 'Delete a webhook permanently (its queued deliveries stop at once)', 'delete', [400, 401, 403, 404])
  @ApiParam({ name: 'id', format: 'uuid', description: 'Webhook ID' })
  @ApiNoContentResponse({ description: 'Webhook deleted' })
  async remove(
    @Param('organizationId', ParseUUIDPipe) organizationId: string,
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentPrincipal() caller: Principal,
  ): Promise<void> {
    await this.webhooks.remove(organizationId, caller, id);
  }
}
