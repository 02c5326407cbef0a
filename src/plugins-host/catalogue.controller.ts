import { Controller, Get } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiProperty, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { Access } from '../auth/access.decorator';
import { Scope as S } from '../auth/scopes';
import { CoreOperation } from '../common/api-docs';
import { PluginRegistry } from './plugin-registry';

export class EventTypeDto {
  @ApiProperty({ example: 'member.added' }) type: string;
  @ApiProperty() description: string;
  @ApiProperty({ example: 'timbrix' }) plugin: string;
}

export class PluginDto {
  @ApiProperty({ example: 'timbrix' }) key: string;
  @ApiProperty() title: string;
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty({ example: '/timbrix' }) routePrefix: string;
  @ApiProperty({ type: [String] }) eventTypes: string[];
  @ApiProperty({ type: [String], example: ['1s', '5s', '30s'] }) retrySchedule: string[];
}

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
    return {
      data: this.plugins.all().map(({ metadata, retry }) => ({
        key: metadata.key,
        title: metadata.title,
        description: metadata.description ?? null,
        routePrefix: `/${metadata.routePrefix}`,
        eventTypes: metadata.eventTypes.map((e) => e.type),
        retrySchedule: retry.schedule,
      })),
    };
  }

  @Get('event-types')
  @Access({ scopes: READERS })
  @CoreOperation('listEventTypes', 'List every event type the plugins emit', [401, 403])
  @ApiOkResponse({ schema: { type: 'object', properties: { data: { type: 'array', items: { $ref: getSchemaPath(EventTypeDto) } } } } })
  eventTypes(): { data: EventTypeDto[] } {
    return { data: this.plugins.all().flatMap(({ metadata }) => metadata.eventTypes.map((e) => ({ ...e, plugin: metadata.key }))) };
  }
}
