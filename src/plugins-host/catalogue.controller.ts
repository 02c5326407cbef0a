import { Controller, Get } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { Access } from '../auth/access.decorator';
import { Scope as S } from '../auth/scopes';
import { CoreOperation } from '../common/api-docs';
import { EventTypeDto, PluginDto } from './catalogue.dto';
import { toEventTypeDtos, toPluginDto } from './catalogue.mapper';
import { PluginRegistry } from './plugin-registry';

const READERS = [S.WebhooksRead, S.WebhooksWrite, S.EventsPublish, S.EventsPublishAny];

@ApiTags('core')
@ApiExtraModels(PluginDto, EventTypeDto)
@Controller('v1')
export class CatalogueController {
  constructor(private readonly plugins: PluginRegistry) {}

  @Get('plugins')
  @Access({ scopes: READERS })
  @CoreOperation('listPlugins', 'List the enabled provider plugins', [401, 403])
  @ApiOkResponse({ schema: { type: 'object', properties: { data: { type: 'array', items: { $ref: getSchemaPath(PluginDto) } } } } })
  list(): { data: PluginDto[] } {
    return { data: this.plugins.all().map(toPluginDto) };
  }

  @Get('event-types')
  @Access({ scopes: READERS })
  @CoreOperation('listEventTypes', 'List every event type the plugins emit', [401, 403])
  @ApiOkResponse({ schema: { type: 'object', properties: { data: { type: 'array', items: { $ref: getSchemaPath(EventTypeDto) } } } } })
  eventTypes(): { data: EventTypeDto[] } {
    return { data: this.plugins.all().flatMap(toEventTypeDtos) };
  }
}
