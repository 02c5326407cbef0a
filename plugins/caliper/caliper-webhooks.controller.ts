import { Body, Controller, Delete, Get, Param, Post, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Access, CurrentPrincipal } from '../../src/sdk';
import type { Principal } from '../../src/sdk';
import { READ_ACCESS, WRITE_ACCESS } from './caliper.catalogue';
import type { CaliperWebhook } from './caliper.mapper';
import { CaliperOperation } from './caliper.openapi';
import { listOf, STATUS_ENVELOPE_SCHEMA, WEBHOOK_BODY_SCHEMA, WEBHOOK_SCHEMA, wrapped } from './caliper.schemas';
import { CaliperService, StatusEnvelope } from './caliper.service';

const ONE = wrapped('webhook', WEBHOOK_SCHEMA);

/** Webhooks (seed 000/001 and the reference's catalogue #1–#7). Bodies are validated by CaliperService. */
@ApiTags('caliper')
@Controller('webhooks')
export class CaliperWebhooksController {
  constructor(private readonly caliper: CaliperService) {}

  @Get()
  @Access(READ_ACCESS)
  @CaliperOperation({ operationId: 'caliperListWebhooks', summary: 'List the webhooks of your tenant', status: 200, response: listOf('webhooks', WEBHOOK_SCHEMA) })
  async list(@CurrentPrincipal() p: Principal): Promise<{ webhooks: CaliperWebhook[] }> {
    return { webhooks: await this.caliper.listWebhooks(p) };
  }

  @Post()
  @Access(WRITE_ACCESS)
  @CaliperOperation({ operationId: 'caliperCreateWebhook', summary: 'Create a webhook', status: 201, body: WEBHOOK_BODY_SCHEMA, response: ONE })
  async create(@Body() body: unknown, @CurrentPrincipal() p: Principal): Promise<{ webhook: CaliperWebhook }> {
    return { webhook: await this.caliper.createWebhook(p, body) };
  }

  @Get(':id')
  @Access(READ_ACCESS)
  @CaliperOperation({ operationId: 'caliperGetWebhook', summary: 'Get a webhook by ID', status: 200, response: ONE, notFound: true })
  async get(@Param('id') id: string, @CurrentPrincipal() p: Principal): Promise<{ webhook: CaliperWebhook }> {
    return { webhook: await this.caliper.getWebhook(p, id) };
  }

  @Put(':id')
  @Access(WRITE_ACCESS)
  @CaliperOperation({ operationId: 'caliperUpdateWebhook', summary: 'Update a webhook (full replace, secret included)', status: 200, body: WEBHOOK_BODY_SCHEMA, response: ONE, notFound: true })
  async update(@Param('id') id: string, @Body() body: unknown, @CurrentPrincipal() p: Principal): Promise<{ webhook: CaliperWebhook }> {
    return { webhook: await this.caliper.replaceWebhook(p, id, body) };
  }

  @Delete(':id')
  @Access(WRITE_ACCESS)
  @CaliperOperation({ operationId: 'caliperDeleteWebhook', summary: 'Delete a webhook (soft delete; queued deliveries stop)', status: 200, response: STATUS_ENVELOPE_SCHEMA, notFound: true })
  remove(@Param('id') id: string, @CurrentPrincipal() p: Principal): Promise<StatusEnvelope> {
    return this.caliper.deleteWebhook(p, id);
  }

  @Put(':id/activate')
  @Access(WRITE_ACCESS)
  @CaliperOperation({ operationId: 'caliperActivateWebhook', summary: 'Activate a webhook', status: 200, response: ONE, notFound: true })
  async activate(@Param('id') id: string, @CurrentPrincipal() p: Principal): Promise<{ webhook: CaliperWebhook }> {
    return { webhook: await this.caliper.setActive(p, id, true) };
  }

  @Put(':id/deactivate')
  @Access(WRITE_ACCESS)
  @CaliperOperation({ operationId: 'caliperDeactivateWebhook', summary: 'Deactivate a webhook (it receives nothing; queued deliveries are dropped)', status: 200, response: ONE, notFound: true })
  async deactivate(@Param('id') id: string, @CurrentPrincipal() p: Principal): Promise<{ webhook: CaliperWebhook }> {
    return { webhook: await this.caliper.setActive(p, id, false) };
  }
}
