import { Module } from '@nestjs/common';
import { WebhookPlugin } from '../../src/sdk';
import { genericDelivery } from './generic.delivery';
import { genericErrors } from './generic.errors';
import { routesTo } from './generic.mapper';
import { GenericWebhook } from './generic.schemas';
import { genericEndpointRules, GenericWebhooksService } from './generic-webhooks.service';
import { GenericWebhooksController } from './generic-webhooks.controller';

/**
 * Generic "authType" hooks (seed 003): one data hook and one alert hook per account, each
 * receiving the published payload as is, with its own credential (basic, bearer, a header or a
 * query parameter) on every attempt.
 */
@WebhookPlugin({
  key: 'generic',
  title: 'Generic authType webhooks',
  description: 'One data hook and one alert hook per account; each POST carries the event payload and the hook\'s credential (none, basic, querystring, authheader, header or bearer).',
  routePrefix: 'generic',
  // Examples only: the provider documents no catalogue, and routing needs none (alert.* vs the rest).
  eventTypes: [
    { type: 'data.created', description: 'A record was created (delivered to the data hook)' },
    { type: 'data.updated', description: 'A record changed (delivered to the data hook)' },
    { type: 'data.deleted', description: 'A record was removed (delivered to the data hook)' },
    { type: 'alert.triggered', description: 'An alert condition started (delivered to the alert hook)' },
    { type: 'alert.resolved', description: 'An alert condition ended (delivered to the alert hook)' },
  ],
  acceptsEventType: () => true,
  delivery: genericDelivery,
  // A list item keeps its own name in the docs, as the list is the only operation that answers it.
  openApiComponents: { schemas: { [GenericWebhook.name]: GenericWebhook.jsonSchema } },
  errors: genericErrors,
  endpointRules: genericEndpointRules,
  sampleEvent: () => ({ type: 'data.updated', data: { vendor: 'ZE', location: 'LAX', date: '2026-12-01', rate: 42.5, currency: 'USD' } }),
  accepts: routesTo,
  config: {
    GENERIC_RATE_LIMIT_PER_MINUTE: { type: 'int', default: 120, min: 0, max: 100000, description: "Requests per minute and principal on the /generic routes; 0 = off" },
  },
  rateLimitPerMinute: (settings) => Number(settings.GENERIC_RATE_LIMIT_PER_MINUTE),
})
@Module({
  controllers: [GenericWebhooksController],
  providers: [GenericWebhooksService],
})
export class GenericPlugin {}
