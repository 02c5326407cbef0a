import { EventTypeDto, PluginDto } from './catalogue.dto';
import { RegisteredPlugin } from './plugin-registry';

export function toPluginDto({ metadata, retry }: RegisteredPlugin): PluginDto {
  return {
    key: metadata.key,
    title: metadata.title,
    description: metadata.description ?? null,
    routePrefix: `/${metadata.routePrefix}`,
    eventTypes: metadata.eventTypes.map((e) => e.type),
    retrySchedule: retry.schedule,
  };
}

export function toEventTypeDtos({ metadata }: RegisteredPlugin): EventTypeDto[] {
  return metadata.eventTypes.map((e) => ({ ...e, plugin: metadata.key }));
}
