import { Module } from '@nestjs/common';
import { WebhookPlugin } from '../../src/sdk';
import { CALIPER_EVENT_TYPES, CALIPER_SCOPES } from './caliper.catalogue';
import { acceptsCaliperEvent, validateCaliperEvent } from './caliper.delivery';
import { caliperErrors } from './caliper.errors';
import { caliperEnvelope } from './caliper.mapper';
import { CALIPER_COMPONENTS } from './caliper.schemas';
import { CaliperEventsController } from './caliper-events.controller';
import { CaliperFiltersController } from './caliper-filters.controller';
import { CaliperWebhooksController } from './caliper-webhooks.controller';
import { CaliperService } from './caliper.service';

/**
 * Timeback Caliper webhooks (seeds 000/001): webhooks with a caller-chosen secret and an optional
 * sensor, per-webhook filters on the Caliper event, and Sensor API ingestion. Each delivery is a
 * Caliper envelope with one event, signed with the webhook's secret (Standard Webhooks headers),
 * on the core retry schedule.
 */
@WebhookPlugin({
  key: 'caliper',
  title: 'Timeback Caliper webhooks',
  description: 'The Timeback (Alpha) Webhooks API: Caliper webhooks and webhook filters, plus IMS Caliper Sensor API ingestion (POST /caliper/events).',
  routePrefix: 'caliper',
  eventTypes: CALIPER_EVENT_TYPES,
  scopes: CALIPER_SCOPES,
  delivery: { envelope: caliperEnvelope },
  openApiComponents: { schemas: CALIPER_COMPONENTS },
  errors: caliperErrors,
  validateEvent: validateCaliperEvent,
  sampleEvent: () => ({
    type: 'NavigationEvent',
    data: { id: 'urn:uuid:3a648e68-f00d-4c08-aa59-8738e1884f2c', type: 'NavigationEvent', actor: 'https://example.edu/users/554433', action: 'NavigatedTo', object: 'https://example.edu/terms/201801/courses/7/sections/1/pages/2', eventTime: '2026-11-23T10:00:00.000Z' },
    context: { sensor: 'https://example.edu/sensors/1', sendTime: '2026-11-23T10:00:01.000Z', dataVersion: 'http://purl.imsglobal.org/ctx/caliper/v1p1' },
  }),
  accepts: acceptsCaliperEvent,
})
@Module({
  controllers: [CaliperWebhooksController, CaliperFiltersController, CaliperEventsController],
  providers: [CaliperService],
})
export class CaliperPlugin {}
