import { applyDecorators, Body, Controller, Delete, Get, HttpCode, Post, Put, Query } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Access, CurrentPrincipal, PLUGIN_ERROR_SCHEMA_REF } from '../../src/sdk';
import type { Principal } from '../../src/sdk';
import { parseIsAlertHookQuery } from './generic-webhook.input';
import { GenericMessageDto, GenericWebhookListDto, GenericWebhookRequestDto } from './generic.dto';
import { toGenericWebhookView } from './generic.mapper';
import { GenericWebhooksService } from './generic-webhooks.service';

const WRITE = { scopes: ['webhooks:write'] };
const READ = { scopes: ['webhooks:read', 'webhooks:write'] };

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'A validation rule failed (the message names it), or "Webhook not found"',
  401: 'Missing, expired or invalid bearer token',
  403: 'The token lacks the required scope',
  409: 'The account already has a webhook of this kind: use PUT',
};

/** The error statuses a route can answer, all in this surface's `{message}` shape. */
function GenericErrors(...statuses: number[]): MethodDecorator {
  return applyDecorators(
    ...statuses.map((status) => ApiResponse({ status, description: ERROR_DESCRIPTIONS[status], content: { 'application/json': { schema: { $ref: PLUGIN_ERROR_SCHEMA_REF } } } })),
  );
}

@ApiTags('generic')
@Controller('webhooks')
export class GenericWebhooksController {
  constructor(private readonly hooks: GenericWebhooksService) {}

  @Post()
  @HttpCode(201)
  @Access(WRITE)
  @ApiOperation({ operationId: 'genericCreateWebhook', summary: 'Create the data or alert webhook of your account' })
  @ApiBody({ type: GenericWebhookRequestDto })
  @ApiResponse({ status: 201, description: 'Webhook created successfully', type: GenericMessageDto })
  @GenericErrors(400, 401, 403, 409)
  async create(@Body() body: unknown, @CurrentPrincipal() principal: Principal): Promise<GenericMessageDto> {
    await this.hooks.create(principal, body);
    return { message: 'Webhook created successfully' };
  }

  @Put()
  @HttpCode(200)
  @Access(WRITE)
  @ApiOperation({ operationId: 'genericUpdateWebhook', summary: 'Replace the data or alert webhook (chosen by isAlertHook)' })
  @ApiBody({ type: GenericWebhookRequestDto })
  @ApiResponse({ status: 200, description: 'Webhook updated successfully', type: GenericMessageDto })
  @GenericErrors(400, 401, 403)
  async update(@Body() body: unknown, @CurrentPrincipal() principal: Principal): Promise<GenericMessageDto> {
    await this.hooks.update(principal, body);
    return { message: 'Webhook updated successfully' };
  }

  @Get()
  @Access(READ)
  @ApiOperation({ operationId: 'genericListWebhooks', summary: 'List your webhooks, credentials masked' })
  @ApiResponse({ status: 200, description: 'The account\'s webhooks', type: GenericWebhookListDto })
  @GenericErrors(401, 403)
  async list(@CurrentPrincipal() principal: Principal): Promise<GenericWebhookListDto> {
    return { data: (await this.hooks.list(principal)).map(toGenericWebhookView) };
  }

  @Delete()
  @HttpCode(204)
  @Access(WRITE)
  @ApiOperation({ operationId: 'genericDeleteWebhook', summary: 'Delete the data or alert webhook' })
  @ApiQuery({ name: 'isAlertHook', required: false, schema: { type: 'string', enum: ['true', 'false'], default: 'false' } })
  @ApiResponse({ status: 204, description: 'Deleted' })
  @GenericErrors(400, 401, 403)
  async remove(@Query('isAlertHook') isAlertHook: unknown, @CurrentPrincipal() principal: Principal): Promise<void> {
    await this.hooks.remove(principal, parseIsAlertHookQuery(isAlertHook));
  }
}
