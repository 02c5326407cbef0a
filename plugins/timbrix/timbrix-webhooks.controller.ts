import { Body, Controller, Delete, Get, Param, ParseUUIDPipe, Post, Put } from '@nestjs/common';
import { ApiParam, ApiTags } from '@nestjs/swagger';
import type { AccessRule, Principal } from '../../src/sdk';
import { Access, CurrentPrincipal, Operation } from '../../src/sdk';
import { toTimbrixWebhook, toTimbrixWebhookWithSecret } from './timbrix.mapper';
import { CreateWebhook, UpdateWebhook, Webhook, WebhookList, WebhookWithSecret } from './timbrix.schemas';
import { TimbrixWebhooksService } from './timbrix-webhooks.service';

/** Only the organization's owners and admins manage its webhooks (and gateway admins). */
const ORG_ADMINS: AccessRule = { orgRoles: ['OWNER', 'ADMIN'], orgParam: 'organizationId' };

/**
 * The guard has made the path's organization the caller's tenant; the parameter is only checked
 * (a malformed UUID answers Nest's 400).
 */
const OrganizationId = (): ParameterDecorator => Param('organizationId', ParseUUIDPipe);
const WebhookId = (): ParameterDecorator => Param('id', ParseUUIDPipe);
const WEBHOOK_ID_DOC = { name: 'id', format: 'uuid', description: 'Webhook ID' };

@ApiTags('timbrix')
@ApiParam({ name: 'organizationId', format: 'uuid', description: 'Organization ID' })
@Controller('organizations/:organizationId/webhooks')
export class TimbrixWebhooksController {
  constructor(private readonly webhooks: TimbrixWebhooksService) {}

  @Post()
  @Access(ORG_ADMINS)
  @Operation({
    id: 'WebhooksController_create',
    summary: 'Create a new webhook',
    status: 201,
    statusDescription: 'Webhook created. Returns its configuration with the signing secret (shown only here).',
    body: CreateWebhook,
    response: WebhookWithSecret,
    errors: [400],
  })
  async create(@OrganizationId() _organization: string, @Body(CreateWebhook) body: CreateWebhook, @CurrentPrincipal() caller: Principal): Promise<WebhookWithSecret> {
    const { endpoint, secret } = await this.webhooks.create(caller, body);
    return toTimbrixWebhookWithSecret(endpoint, secret);
  }

  @Get()
  @Access(ORG_ADMINS)
  @Operation({
    id: 'WebhooksController_findAll',
    summary: "List the organization's webhooks",
    status: 200,
    statusDescription: 'Every webhook of the organization, newest first, without secrets',
    response: WebhookList,
    errors: [400],
  })
  async list(@OrganizationId() _organization: string, @CurrentPrincipal() caller: Principal): Promise<Webhook[]> {
    return (await this.webhooks.list(caller)).map(toTimbrixWebhook);
  }

  @Get(':id')
  @Access(ORG_ADMINS)
  @Operation({ id: 'WebhooksController_findOne', summary: 'Get a webhook', status: 200, statusDescription: 'The webhook, without its secret', response: Webhook, errors: [400, 404] })
  @ApiParam(WEBHOOK_ID_DOC)
  async get(@OrganizationId() _organization: string, @WebhookId() id: string, @CurrentPrincipal() caller: Principal): Promise<Webhook> {
    return toTimbrixWebhook(await this.webhooks.get(caller, id));
  }

  @Put(':id')
  @Access(ORG_ADMINS)
  @Operation({
    id: 'WebhooksController_update',
    summary: 'Update a webhook (url, events, isActive; absent fields are kept)',
    status: 200,
    statusDescription: 'Webhook updated with the new configuration (no secret)',
    body: UpdateWebhook,
    response: Webhook,
    errors: [400, 404],
  })
  @ApiParam(WEBHOOK_ID_DOC)
  async update(@OrganizationId() _organization: string, @WebhookId() id: string, @Body(UpdateWebhook) body: UpdateWebhook, @CurrentPrincipal() caller: Principal): Promise<Webhook> {
    return toTimbrixWebhook(await this.webhooks.update(caller, id, body));
  }

  @Delete(':id')
  @Access(ORG_ADMINS)
  @Operation({ id: 'WebhooksController_remove', summary: 'Delete a webhook permanently (its queued deliveries stop at once)', status: 204, statusDescription: 'Webhook deleted', errors: [400, 404] })
  @ApiParam(WEBHOOK_ID_DOC)
  async remove(@OrganizationId() _organization: string, @WebhookId() id: string, @CurrentPrincipal() caller: Principal): Promise<void> {
    await this.webhooks.remove(caller, id);
  }
}
