import { Body, Controller, Get, Headers, Param, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Access } from '../auth/access.decorator';
import { CurrentPrincipal, Principal, tenantScope } from '../auth/principal';
import { Scope as S } from '../auth/scopes';
import { CoreOperation } from '../common/api-docs';
import { timeRangeOf } from '../common/list-query.dto';
import { EventDto, EventPageDto, EventQueryDto, PublishedDto, PublishEventDto } from './event.dto';
import { EventsService, EventView } from './events.service';
import { publishInput } from './publish-policy';

@ApiTags('core')
@Controller('v1/events')
export class EventsController {
  constructor(private readonly events: EventsService) {}

  @Post()
  @Access({ scopes: [S.EventsPublish, S.EventsPublishAny] })
  @CoreOperation('publishEvent', 'Publish an event (fans out to every matching endpoint)', [400, 401, 403, 409, 413, 415], 202)
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Same key and body within 24 h = the same event, no second fan-out; different body = 409' })
  @ApiAcceptedResponse({ type: PublishedDto })
  async publish(@Body() dto: PublishEventDto, @Headers('idempotency-key') headerKey: string | undefined, @CurrentPrincipal() p: Principal): Promise<PublishedDto> {
    const result = await this.events.publish(publishInput(p, dto, headerKey));
    return { id: result.id, deliveries: result.deliveries };
  }

  @Get()
  @Access({ scopes: [S.EventsPublish, S.EventsPublishAny, S.DeliveriesRead] })
  @CoreOperation('listEvents', 'List events, newest first, without payloads (filter by type, plugin, time, tenant)', [400, 401, 403])
  @ApiOkResponse({ type: EventPageDto })
  list(@Query() q: EventQueryDto, @CurrentPrincipal() p: Principal): Promise<EventPageDto> {
    return this.events.summaries(tenantScope(p, q.tenant), { type: q.type, plugin: q.plugin, limit: q.limit, cursor: q.cursor, ...timeRangeOf(q) });
  }

  @Get(':id')
  @Access({ scopes: [S.EventsPublish, S.EventsPublishAny, S.DeliveriesRead] })
  @CoreOperation('getEvent', 'Get an event', [401, 403, 404])
  @ApiOkResponse({ type: EventDto })
  get(@Param('id') id: string, @CurrentPrincipal() p: Principal): Promise<EventView & { deliveries: number }> {
    return this.events.get(tenantScope(p), id);
  }
}
