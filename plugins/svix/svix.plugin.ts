import { Module } from '@nestjs/common';
import { WebhookPlugin } from '../../src/sdk';
import { SvixApplicationsController } from './svix-applications.controller';
import { SvixApplications } from './svix-applications.service';
import { SvixEndpointsController } from './svix-endpoints.controller';
import { SvixEndpoints } from './svix-endpoints.service';
import { SvixEventTypesController } from './svix-event-types.controller';
import { SvixEventTypes } from './svix-event-types.service';
import { SvixMessagesController } from './svix-messages.controller';
import { SvixMessages } from './svix-messages.service';
import { svixDelivery } from './svix.delivery';
import { svixErrors } from './svix.errors';
import { newEndpointId } from './svix.ids';
import { acceptsMessage } from './svix.mapper';
import { svixEndpointRules } from './svix.rules';

/**
 * The subset of Svix's API that services use, under /svix, so that an official Svix SDK pointed at
 * `serverUrl: http://HOST:PORT/svix` works unchanged (docs/plugins/svix.md).
 */
@WebhookPlugin({
  key: 'svix',
  title: 'Svix-compatible API',
  description: "Svix's applications, event types, endpoints, messages and attempts, with Svix's paths, fields, ids, errors, signatures and retry schedule.",
  routePrefix: 'svix',
  // Svix's event types are each tenant's own (POST /svix/api/v1/event-type): any name is taken.
  eventTypes: [{ type: 'user.signup', description: "An example: a tenant's event types are its own, declared with POST /svix/api/v1/event-type" }],
  acceptsEventType: () => true,
  scopes: { 'svix:read': 'Read Svix applications, event types, endpoints, messages and attempts', 'svix:write': 'Create and change them, send messages (also reads)' },
  delivery: svixDelivery,
  errors: svixErrors,
  endpointRules: svixEndpointRules,
  newEndpointId,
  accepts: acceptsMessage,
  sampleEvent: () => ({ type: 'user.signup', data: { email: 'test@example.com', username: 'test_user' } }),
})
@Module({
  controllers: [SvixApplicationsController, SvixEventTypesController, SvixEndpointsController, SvixMessagesController],
  providers: [SvixApplications, SvixEventTypes, SvixEndpoints, SvixMessages],
})
export class SvixPlugin {}
