import { Body, Controller, Delete, Get, Param, Patch, Post, Put, Query, Res } from '@nestjs/common';
import { ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Access, CurrentPrincipal, Operation, Principal } from '../../src/sdk';
import { SvixEventTypes } from './svix-event-types.service';
import { QueryParams, SVIX_READ, SVIX_WRITE } from './svix.openapi';
import { EventTypeDeleteQuery, EventTypeIn, EventTypeListQuery, EventTypeOut, EventTypePatch, EventTypeUpdate, ListResponse, ListResponseEventTypeOut } from './svix.schemas';

@ApiTags('svix')
@Controller('api/v1/event-type')
export class SvixEventTypesController {
  constructor(private readonly eventTypes: SvixEventTypes) {}

  @Get()
  @Access(SVIX_READ)
  @Operation({ id: 'v1.event-type.list', summary: 'List Event Types', description: 'Archived event types only with include_archived=true.', status: 200, response: ListResponseEventTypeOut, errors: [422] })
  @QueryParams(EventTypeListQuery)
  list(@Query(EventTypeListQuery) query: EventTypeListQuery, @CurrentPrincipal() caller: Principal): Promise<ListResponse<EventTypeOut>> {
    return this.eventTypes.list(caller, query);
  }

  @Post()
  @Access(SVIX_WRITE)
  @Operation({ id: 'v1.event-type.create', idempotent: true, summary: 'Create Event Type', status: 201, body: EventTypeIn, response: EventTypeOut, errors: [409, 422] })
  create(@Body(EventTypeIn) body: EventTypeIn, @CurrentPrincipal() caller: Principal): Promise<EventTypeOut> {
    return this.eventTypes.create(caller, body);
  }

  @Get(':event_type_name')
  @Access(SVIX_READ)
  @Operation({ id: 'v1.event-type.get', summary: 'Get Event Type', status: 200, response: EventTypeOut, errors: [404] })
  get(@Param('event_type_name') name: string, @CurrentPrincipal() caller: Principal): Promise<EventTypeOut> {
    return this.eventTypes.get(caller, name);
  }

  @Put(':event_type_name')
  @Access(SVIX_WRITE)
  @ApiResponse({ status: 201, description: 'Created with this name', schema: EventTypeOut.jsonSchema })
  @Operation({ id: 'v1.event-type.update', summary: 'Update Event Type', description: 'An unknown name creates the event type (201).', status: 200, body: EventTypeUpdate, response: EventTypeOut, errors: [404, 422] })
  async update(@Param('event_type_name') name: string, @Body(EventTypeUpdate) body: EventTypeUpdate, @CurrentPrincipal() caller: Principal, @Res({ passthrough: true }) reply: FastifyReply): Promise<EventTypeOut> {
    const { eventType, created } = await this.eventTypes.update(caller, name, body);
    if (created) reply.status(201);
    return eventType;
  }

  @Patch(':event_type_name')
  @Access(SVIX_WRITE)
  @Operation({ id: 'patch_event_type', summary: 'Patch Event Type', status: 200, body: EventTypePatch, response: EventTypeOut, errors: [404, 422] })
  patch(@Param('event_type_name') name: string, @Body(EventTypePatch) body: EventTypePatch, @CurrentPrincipal() caller: Principal): Promise<EventTypeOut> {
    return this.eventTypes.patch(caller, name, body);
  }

  @Delete(':event_type_name')
  @Access(SVIX_WRITE)
  @Operation({ id: 'v1.event-type.delete', summary: 'Delete Event Type', description: 'Archives the event type; expunge=true removes it.', status: 204, errors: [404, 422] })
  @QueryParams(EventTypeDeleteQuery)
  async remove(@Param('event_type_name') name: string, @Query(EventTypeDeleteQuery) query: { expunge?: boolean }, @CurrentPrincipal() caller: Principal): Promise<void> {
    await this.eventTypes.remove(caller, name, query.expunge);
  }
}
