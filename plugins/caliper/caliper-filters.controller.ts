import { Body, Controller, Delete, Get, Param, Post, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Access, CurrentPrincipal } from '../../src/sdk';
import type { Principal } from '../../src/sdk';
import { READ_ACCESS, WRITE_ACCESS } from './caliper.catalogue';
import type { CaliperFilter } from './caliper.mapper';
import { CaliperOperation } from './caliper.openapi';
import { FILTER_BODY_SCHEMA, FILTER_SCHEMA, listOf, STATUS_ENVELOPE_SCHEMA, wrapped } from './caliper.schemas';
import { CaliperService, StatusEnvelope } from './caliper.service';

const ONE = wrapped('filter', FILTER_SCHEMA);
const MANY = listOf('filters', FILTER_SCHEMA);

/** Webhook filters (the reference's catalogue #8–#13); their 400s are status envelopes. */
@ApiTags('caliper')
@Controller('webhook-filters')
export class CaliperFiltersController {
  constructor(private readonly caliper: CaliperService) {}

  @Get()
  @Access(READ_ACCESS)
  @CaliperOperation({ operationId: 'caliperListWebhookFilters', summary: 'List every webhook filter of your tenant', status: 200, response: MANY })
  async list(@CurrentPrincipal() p: Principal): Promise<{ filters: CaliperFilter[] }> {
    return { filters: await this.caliper.listFilters(p) };
  }

  @Post()
  @Access(WRITE_ACCESS)
  @CaliperOperation({ operationId: 'caliperCreateWebhookFilter', summary: 'Create a webhook filter', status: 201, body: FILTER_BODY_SCHEMA, response: ONE, notFound: true, badRequestShape: 'status' })
  async create(@Body() body: unknown, @CurrentPrincipal() p: Principal): Promise<{ filter: CaliperFilter }> {
    return { filter: await this.caliper.createFilter(p, body) };
  }

  @Get('webhook/:webhookId')
  @Access(READ_ACCESS)
  @CaliperOperation({ operationId: 'caliperListFiltersOfWebhook', summary: 'Get the filters of one webhook', status: 200, response: MANY, notFound: true })
  async ofWebhook(@Param('webhookId') webhookId: string, @CurrentPrincipal() p: Principal): Promise<{ filters: CaliperFilter[] }> {
    return { filters: await this.caliper.filtersOfWebhook(p, webhookId) };
  }

  @Get(':id')
  @Access(READ_ACCESS)
  @CaliperOperation({ operationId: 'caliperGetWebhookFilter', summary: 'Get a webhook filter by ID', status: 200, response: ONE, notFound: true })
  async get(@Param('id') id: string, @CurrentPrincipal() p: Principal): Promise<{ filter: CaliperFilter }> {
    return { filter: await this.caliper.getFilter(p, id) };
  }

  @Put(':id')
  @Access(WRITE_ACCESS)
  @CaliperOperation({ operationId: 'caliperUpdateWebhookFilter', summary: 'Update a webhook filter (full replace)', status: 200, body: FILTER_BODY_SCHEMA, response: ONE, notFound: true, badRequestShape: 'status' })
  async update(@Param('id') id: string, @Body() body: unknown, @CurrentPrincipal() p: Principal): Promise<{ filter: CaliperFilter }> {
    return { filter: await this.caliper.replaceFilter(p, id, body) };
  }

  @Delete(':id')
  @Access(WRITE_ACCESS)
  @CaliperOperation({ operationId: 'caliperDeleteWebhookFilter', summary: 'Delete a webhook filter', status: 200, response: STATUS_ENVELOPE_SCHEMA, notFound: true })
  remove(@Param('id') id: string, @CurrentPrincipal() p: Principal): Promise<StatusEnvelope> {
    return this.caliper.deleteFilter(p, id);
  }
}
