import { Body, Controller, Delete, Get, Param, Post, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Access, CurrentPrincipal, Operation } from '../../src/sdk';
import type { Principal } from '../../src/sdk';
import { READ_ACCESS, WRITE_ACCESS } from './caliper.catalogue';
import { CaliperStatus, CaliperWebhookBody, CaliperWebhookList, CaliperWebhookResponse } from './caliper.schemas';
import { CaliperService } from './caliper.service';

/** Webhooks (seed 000/001 and the reference's catalogue #1–#7). */
@ApiTags('caliper')
@Controller('webhooks')
export class CaliperWebhooksController {
  constructor(private readonly caliper: CaliperService) {}

  @Get()
  @Access(READ_ACCESS)
  @Operation({ id: 'caliperListWebhooks', summary: 'List the webhooks of your tenant', status: 200, response: CaliperWebhookList })
  async list(@CurrentPrincipal() p: Principal): Promise<CaliperWebhookList> {
    return { webhooks: await this.caliper.listWebhooks(p) };
  }

  @Post()
  @Access(WRITE_ACCESS)
  @Operation({ id: 'caliperCreateWebhook', summary: 'Create a webhook', status: 201, body: CaliperWebhookBody, response: CaliperWebhookResponse, errors: [400] })
  async create(@Body(CaliperWebhookBody) body: CaliperWebhookBody, @CurrentPrincipal() p: Principal): Promise<CaliperWebhookResponse> {
    return { webhook: await this.caliper.createWebhook(p, body) };
  }

  @Get(':id')
  @Access(READ_ACCESS)
  @Operation({ id: 'caliperGetWebhook', summary: 'Get a webhook by ID', status: 200, response: CaliperWebhookResponse, errors: [404] })
  async get(@Param('id') id: string, @CurrentPrincipal() p: Principal): Promise<CaliperWebhookResponse> {
    return { webhook: await this.caliper.getWebhook(p, id) };
  }

  @Put(':id')
  @Access(WRITE_ACCESS)
  @Operation({ id: 'caliperUpdateWebhook', summary: 'Update a webhook (full replace, secret included)', status: 200, body: CaliperWebhookBody, response: CaliperWebhookResponse, errors: [400, 404] })
  async update(@Param('id') id: string, @Body(CaliperWebhookBody) body: CaliperWebhookBody, @CurrentPrincipal() p: Principal): Promise<CaliperWebhookResponse> {
    return { webhook: await this.caliper.replaceWebhook(p, id, body) };
  }

  @Delete(':id')
  @Access(WRITE_ACCESS)
  @Operation({ id: 'caliperDeleteWebhook', summary: 'Delete a webhook (soft delete; queued deliveries stop)', status: 200, response: CaliperStatus, errors: [404] })
  remove(@Param('id') id: string, @CurrentPrincipal() p: Principal): Promise<CaliperStatus> {
    return this.caliper.deleteWebhook(p, id);
  }

  @Put(':id/activate')
  @Access(WRITE_ACCESS)
  @Operation({ id: 'caliperActivateWebhook', summary: 'Activate a webhook', status: 200, response: CaliperWebhookResponse, errors: [404] })
  async activate(@Param('id') id: string, @CurrentPrincipal() p: Principal): Promise<CaliperWebhookResponse> {
    return { webhook: await this.caliper.setActive(p, id, true) };
  }

  @Put(':id/deactivate')
  @Access(WRITE_ACCESS)
  @Operation({ id: 'caliperDeactivateWebhook', summary: 'Deactivate a webhook (it receives nothing; queued deliveries are dropped)', status: 200, response: CaliperWebhookResponse, errors: [404] })
  async deactivate(@Param('id') id: string, @CurrentPrincipal() p: Principal): Promise<CaliperWebhookResponse> {
    return { webhook: await this.caliper.setActive(p, id, false) };
  }
}
