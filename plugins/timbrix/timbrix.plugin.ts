import { Module } from '@nestjs/common';
import { WebhookPlugin } from '../../src/sdk';
import { TIMBRIX_EVENT_CATALOGUE, TIMBRIX_ROUTE_PREFIX } from './timbrix.catalogue';
import { isAboutEndpointOrganization, timbrixDelivery, validateTimbrixEvent } from './timbrix.delivery';
import { timbrixErrors } from './timbrix.errors';
import { TimbrixWebhooksController } from './timbrix-webhooks.controller';
import { TimbrixWebhooksService } from './timbrix-webhooks.service';

@WebhookPlugin({
  key: 'timbrix',
  title: 'Timbrix organizations',
  description:
    "Timbrix organization webhooks: owners and admins of an organization register HTTPS endpoints for its events; deliveries carry {event, organization, data, timestamp} signed with X-Webhook-Signature (hex HMAC-SHA256). Errors use NestJS's {statusCode, message, error}.",
  routePrefix: TIMBRIX_ROUTE_PREFIX,
  eventTypes: TIMBRIX_EVENT_CATALOGUE,
  delivery: timbrixDelivery,
  errors: timbrixErrors,
  validateEvent: validateTimbrixEvent,
  config: {
    TIMBRIX_ORG_SLUG_CLAIM: { type: 'string', default: 'org_slug', minLength: 1, maxLength: 200, description: "Token claim (a top-level name, else a dotted path) naming the caller's organization slug, for webhook.created" },
    TIMBRIX_ORG_NAME_CLAIM: { type: 'string', default: 'org_name', minLength: 1, maxLength: 200, description: "Token claim (a top-level name, else a dotted path) naming the caller's organization name, for webhook.created" },
  },
  accepts: isAboutEndpointOrganization,
  sampleEvent: (organizationId) => ({
    type: 'member.added',
    data: { memberId: '7d0f5c2e-4b1a-4c8e-9f3d-2a6b8c1e0f47', role: 'MEMBER' },
    context: { organization: { id: organizationId, slug: 'acme-corp', name: 'Acme Corp' } },
  }),
})
@Module({ controllers: [TimbrixWebhooksController], providers: [TimbrixWebhooksService] })
export class TimbrixPlugin {}
