import { Body, Controller, Delete, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Access } from '../auth/access.decorator';
import { CurrentPrincipal, Principal } from '../auth/principal';
import { Scope as S } from '../auth/scopes';
import { CoreOperation } from '../common/api-docs';
import { ListQueryDto } from '../common/list-query.dto';
import { CreatedWebhookDto, CreateWebhookDto, RecoverDto, RecoverResultDto, RotatedSecretDto, SecretDto, TestEventDto, UpdateWebhookDto, WebhookDto, WebhookPageDto } from './endpoint.dto';
import { toWebhookDto } from './webhook.mapper';
import { WebhooksService } from './webhooks.service';

@ApiTags('core')
@Controller('v1/webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @Access({ scopes: [S.WebhooksWrite] })
  @CoreOperation('createWebhook', 'Register an endpoint', [400, 401, 403, 413, 415], 201)
  @ApiCreatedResponse({ type: CreatedWebhookDto })
  async create(@Body() dto: CreateWebhookDto, @CurrentPrincipal() p: Principal): Promise<CreatedWebhookDto> {
    const { endpoint, secret } = await this.webhooks.create(p, dto);
    return { ...toWebhookDto(endpoint), secret };
  }

  @Get()
  @Access({ scopes: [S.WebhooksRead, S.WebhooksWrite] })
  @CoreOperation('listWebhooks', 'List endpoints, newest first (filter by tenant)', [400, 401, 403])
  @ApiOkResponse({ type: WebhookPageDto })
  async list(@Query() q: ListQueryDto, @CurrentPrincipal() p: Principal): Promise<WebhookPageDto> {
    const page = await this.webhooks.list(p, q);
    return { ...page, data: page.data.map(toWebhookDto) };
  }

  @Get(':id')
  @Access({ scopes: [S.WebhooksRead, S.WebhooksWrite] })
  @CoreOperation('getWebhook', 'Get an endpoint', [401, 403, 404])
  @ApiOkResponse({ type: WebhookDto })
  async get(@Param('id') id: string, @CurrentPrincipal() p: Principal): Promise<WebhookDto> {
    return toWebhookDto(await this.webhooks.get(p, id));
  }

  @Patch(':id')
  @Access({ scopes: [S.WebhooksWrite] })
  @CoreOperation('updateWebhook', 'Change an endpoint', [400, 401, 403, 404])
  @ApiOkResponse({ type: WebhookDto })
  async update(@Param('id') id: string, @Body() dto: UpdateWebhookDto, @CurrentPrincipal() p: Principal): Promise<WebhookDto> {
    return toWebhookDto(await this.webhooks.update(p, id, dto));
  }

  @Delete(':id')
  @Access({ scopes: [S.WebhooksWrite] })
  @CoreOperation('deleteWebhook', 'Delete an endpoint (its queued deliveries stop)', [401, 403, 404], 204)
  @ApiNoContentResponse()
  async remove(@Param('id') id: string, @CurrentPrincipal() p: Principal): Promise<void> {
    await this.webhooks.remove(p, id);
  }

  @Post(':id/enable')
  @Access({ scopes: [S.WebhooksWrite] })
  @CoreOperation('enableWebhook', 'Enable an endpoint (held deliveries are sent)', [401, 403, 404])
  @ApiOkResponse({ type: WebhookDto })
  async enable(@Param('id') id: string, @CurrentPrincipal() p: Principal): Promise<WebhookDto> {
    return toWebhookDto(await this.webhooks.setEnabled(p, id, true));
  }

  @Post(':id/disable')
  @Access({ scopes: [S.WebhooksWrite] })
  @CoreOperation('disableWebhook', 'Disable an endpoint (it matches no events)', [401, 403, 404])
  @ApiOkResponse({ type: WebhookDto })
  async disable(@Param('id') id: string, @CurrentPrincipal() p: Principal): Promise<WebhookDto> {
    return toWebhookDto(await this.webhooks.setEnabled(p, id, false));
  }

  @Post(':id/rotate-secret')
  @Access({ scopes: [S.WebhooksWrite] })
  @CoreOperation('rotateWebhookSecret', 'Rotate the signing secret (the old one signs during a grace period)', [401, 403, 404])
  @ApiOkResponse({ type: RotatedSecretDto })
  rotate(@Param('id') id: string, @CurrentPrincipal() p: Principal): Promise<RotatedSecretDto> {
    return this.webhooks.rotateSecret(p, id);
  }

  @Get(':id/secret')
  @Access({ scopes: [S.WebhooksWrite] })
  @CoreOperation('getWebhookSecret', 'Get the current signing secret', [401, 403, 404])
  @ApiOkResponse({ type: SecretDto })
  async secret(@Param('id') id: string, @CurrentPrincipal() p: Principal): Promise<SecretDto> {
    return { secret: await this.webhooks.currentSecret(p, id) };
  }

  @Post(':id/recover')
  @Access({ scopes: [S.DeliveriesWrite, S.WebhooksWrite] })
  @CoreOperation('recoverWebhook', 'Re-send failed and dead deliveries since a time', [400, 401, 403, 404])
  @ApiOkResponse({ type: RecoverResultDto })
  async recover(@Param('id') id: string, @Body() dto: RecoverDto, @CurrentPrincipal() p: Principal): Promise<RecoverResultDto> {
    return { recovered: await this.webhooks.recover(p, id, dto.since) };
  }

  @Post(':id/test')
  @Access({ scopes: [S.WebhooksWrite] })
  @CoreOperation('testWebhook', 'Send a test event to this endpoint only', [400, 401, 403, 404], 202)
  @ApiAcceptedResponse({ description: 'The test event, queued for this endpoint only', schema: { type: 'object', properties: { id: { type: 'string' }, deliveries: { type: 'integer' } } } })
  async test(@Param('id') id: string, @Body() dto: TestEventDto, @CurrentPrincipal() p: Principal): Promise<{ id: string; deliveries: number }> {
    return this.webhooks.sendTest(p, id, dto.type);
  }
}
