import { Body, Controller, Delete, Get, Post, Put, Query } from '@nestjs/common';
import { ApiQuery, ApiTags } from '@nestjs/swagger';
import { Access, CurrentPrincipal, Operation } from '../../src/sdk';
import type { Infer, Principal } from '../../src/sdk';
import { GenericMessage, GenericWebhookList, GenericWebhookRequest, IsAlertHookQuery } from './generic.schemas';
import { toGenericWebhookView } from './generic.mapper';
import { GenericWebhooksService } from './generic-webhooks.service';

const WRITE = { scopes: ['webhooks:write'] };
const READ = { scopes: ['webhooks:read', 'webhooks:write'] };

@ApiTags('generic')
@Controller('webhooks')
export class GenericWebhooksController {
  constructor(private readonly hooks: GenericWebhooksService) {}

  @Post()
  @Access(WRITE)
  @Operation({
    id: 'genericCreateWebhook',
    summary: 'Create the data or alert webhook of your account',
    status: 201,
    statusDescription: 'Webhook created successfully',
    body: GenericWebhookRequest,
    response: GenericMessage,
    errors: [400, 409],
  })
  async create(@Body(GenericWebhookRequest) body: Infer<typeof GenericWebhookRequest>, @CurrentPrincipal() principal: Principal): Promise<Infer<typeof GenericMessage>> {
    await this.hooks.create(principal, body);
    return { message: 'Webhook created successfully' };
  }

  @Put()
  @Access(WRITE)
  @Operation({
    id: 'genericUpdateWebhook',
    summary: 'Replace the data or alert webhook (chosen by isAlertHook)',
    status: 200,
    statusDescription: 'Webhook updated successfully',
    body: GenericWebhookRequest,
    response: GenericMessage,
    errors: [400],
  })
  async update(@Body(GenericWebhookRequest) body: Infer<typeof GenericWebhookRequest>, @CurrentPrincipal() principal: Principal): Promise<Infer<typeof GenericMessage>> {
    await this.hooks.update(principal, body);
    return { message: 'Webhook updated successfully' };
  }

  @Get()
  @Access(READ)
  @Operation({ id: 'genericListWebhooks', summary: 'List your webhooks, credentials masked', status: 200, statusDescription: "The account's webhooks", response: GenericWebhookList })
  async list(@CurrentPrincipal() principal: Principal): Promise<Infer<typeof GenericWebhookList>> {
    return { data: (await this.hooks.list(principal)).map(toGenericWebhookView) };
  }

  @Delete()
  @Access(WRITE)
  @Operation({ id: 'genericDeleteWebhook', summary: 'Delete the data or alert webhook', status: 204, statusDescription: 'Deleted', errors: [400] })
  @ApiQuery({ name: 'isAlertHook', required: false, schema: IsAlertHookQuery.jsonSchema })
  async remove(@Query('isAlertHook', IsAlertHookQuery) isAlertHook: Infer<typeof IsAlertHookQuery>, @CurrentPrincipal() principal: Principal): Promise<void> {
    await this.hooks.remove(principal, isAlertHook);
  }
}
