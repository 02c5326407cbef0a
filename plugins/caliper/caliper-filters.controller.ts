import { Body, Controller, Delete, Get, Param, Post, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Access, CurrentPrincipal, Operation } from '../../src/sdk';
import type { Principal } from '../../src/sdk';
import { READ_ACCESS, WRITE_ACCESS } from './caliper.catalogue';
import { CaliperFilterBody, CaliperFilterList, CaliperFilterResponse, CaliperStatus } from './caliper.schemas';
import { CaliperService } from './caliper.service';

/** Webhook filters (the reference's catalogue #8–#13); their 400s are status envelopes. */
@ApiTags('caliper')
@Controller('webhook-filters')
export class CaliperFiltersController {
  constructor(private readonly caliper: CaliperService) {}

  @Get()
  @Access(READ_ACCESS)
  @Operation({ id: 'caliperListWebhookFilters', summary: 'List every webhook filter of your tenant', status: 200, response: CaliperFilterList })
  async list(@CurrentPrincipal() p: Principal): Promise<CaliperFilterList> {
    return { filters: await this.caliper.listFilters(p) };
  }

  @Post()
  @Access(WRITE_ACCESS)
  @Operation({ id: 'caliperCreateWebhookFilter', summary: 'Create a webhook filter', status: 201, body: CaliperFilterBody, response: CaliperFilterResponse, errors: [400, 404] })
  async create(@Body(CaliperFilterBody) body: CaliperFilterBody, @CurrentPrincipal() p: Principal): Promise<CaliperFilterResponse> {
    return { filter: await this.caliper.createFilter(p, body) };
  }

  @Get('webhook/:webhookId')
  @Access(READ_ACCESS)
  @Operation({ id: 'caliperListFiltersOfWebhook', summary: 'Get the filters of one webhook', status: 200, response: CaliperFilterList, errors: [404] })
  async ofWebhook(@Param('webhookId') webhookId: string, @CurrentPrincipal() p: Principal): Promise<CaliperFilterList> {
    return { filters: await this.caliper.filtersOfWebhook(p, webhookId) };
  }

  @Get(':id')
  @Access(READ_ACCESS)
  @Operation({ id: 'caliperGetWebhookFilter', summary: 'Get a webhook filter by ID', status: 200, response: CaliperFilterResponse, errors: [404] })
  async get(@Param('id') id: string, @CurrentPrincipal() p: Principal): Promise<CaliperFilterResponse> {
    return { filter: await this.caliper.getFilter(p, id) };
  }

  @Put(':id')
  @Access(WRITE_ACCESS)
  @Operation({ id: 'caliperUpdateWebhookFilter', summary: 'Update a webhook filter (full replace)', status: 200, body: CaliperFilterBody, response: CaliperFilterResponse, errors: [400, 404] })
  async update(@Param('id') id: string, @Body(CaliperFilterBody) body: CaliperFilterBody, @CurrentPrincipal() p: Principal): Promise<CaliperFilterResponse> {
    return { filter: await this.caliper.replaceFilter(p, id, body) };
  }

  @Delete(':id')
  @Access(WRITE_ACCESS)
  @Operation({ id: 'caliperDeleteWebhookFilter', summary: 'Delete a webhook filter', status: 200, response: CaliperStatus, errors: [404] })
  remove(@Param('id') id: string, @CurrentPrincipal() p: Principal): Promise<CaliperStatus> {
    return this.caliper.deleteFilter(p, id);
  }
}
