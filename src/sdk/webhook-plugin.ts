import { MODULE_METADATA } from '@nestjs/common/constants';
import type { Provider } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { DeliveriesService } from '../delivery/api/deliveries.service';
import { EndpointsService } from '../endpoints/endpoints.service';
import { EventsService } from '../events/events.service';
import { PluginRegistry } from '../plugins-host/plugin-registry';
import { PluginRecordsService } from '../plugin-records/plugin-records.service';
import { PluginDeliveries, PluginEndpoints, PluginEvents, PluginRecords, PluginSettings } from './facades';
import { WEBHOOK_PLUGIN, WebhookPluginMetadata } from './plugin';

/** The facades a plugin's providers inject, each bound to the plugin's key. */
function boundFacades(key: string): Provider[] {
  return [
    { provide: PluginEndpoints, inject: [EndpointsService, AppConfig], useFactory: (core: EndpointsService, config: AppConfig) => new PluginEndpoints(core, config, key) },
    { provide: PluginEvents, inject: [EventsService], useFactory: (core: EventsService) => new PluginEvents(core, key) },
    { provide: PluginDeliveries, inject: [DeliveriesService], useFactory: (core: DeliveriesService) => new PluginDeliveries(core, key) },
    { provide: PluginRecords, inject: [PluginRecordsService], useFactory: (core: PluginRecordsService) => new PluginRecords(core, key) },
    { provide: PluginSettings, inject: [PluginRegistry], useFactory: (registry: PluginRegistry) => new PluginSettings(registry.settingsOf(key)) },
  ];
}

/**
 * Marks a Nest module as a hookgate provider plugin (put it above `@Module`). The registry reads
 * everything from the declaration, and the module's providers can inject `PluginEndpoints`,
 * `PluginEvents`, `PluginDeliveries`, `PluginRecords` and `PluginSettings`, already bound to this plugin.
 */
export function WebhookPlugin(metadata: WebhookPluginMetadata): ClassDecorator {
  return (target) => {
    Reflect.defineMetadata(WEBHOOK_PLUGIN, metadata, target);
    const providers: Provider[] = Reflect.getMetadata(MODULE_METADATA.PROVIDERS, target) ?? [];
    Reflect.defineMetadata(MODULE_METADATA.PROVIDERS, [...providers, ...boundFacades(metadata.key)], target);
  };
}
