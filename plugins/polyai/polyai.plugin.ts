import { Module } from '@nestjs/common';
import { CoreError, ErrorShape, WebhookPlugin } from '../../src/sdk';
import { PolyaiEndpointsService } from './polyai-endpoints.service';
import { PolyaiWebhookEndpointsController } from './polyai-webhook-endpoints.controller';
import { polyaiDelivery } from './polyai.delivery';
import { POLYAI_OPENAPI_COMPONENTS } from './polyai.openapi';
import { ERROR_SCHEMA, POLYAI_PLUGIN_KEY, WEBHOOK_ALERT_SCHEMA } from './polyai.schemas';
import { newEndpointId, polyaiEndpointRules } from './polyai.rules';
import { schemaIssues } from './polyai.validation';

/** The seed's error body, `{message}`: one sentence per problem, each naming its field. */
export const polyaiErrors: ErrorShape = {
  render: (error: CoreError) => ({ body: { message: error.issues.length ? error.issues.map((i) => i.message).join('; ') : error.message } }),
  schema: ERROR_SCHEMA,
};

@WebhookPlugin({
  key: POLYAI_PLUGIN_KEY,
  title: 'PolyAI alerts',
  description: 'The PolyAI Webhooks API: alert notifications to the endpoints an account registers with its x-api-key. Errors are {message}.',
  routePrefix: 'polyai',
  eventTypes: [
    { type: 'alerts.triggered', description: 'An alert rule crossed its threshold (data: WebhookAlert)' },
    { type: 'alerts.resolved', description: 'A firing alert returned to normal (data: WebhookAlert)' },
  ],
  delivery: polyaiDelivery,
  errors: polyaiErrors,
  openApiComponents: POLYAI_OPENAPI_COMPONENTS,
  endpointRules: polyaiEndpointRules,
  newEndpointId,
  validateEvent: (event) => schemaIssues(WEBHOOK_ALERT_SCHEMA, event.data, 'data', ['data']),
  sampleEvent: () => ({
    type: 'alerts.triggered',
    data: { id: 'ar_9ZtRcXw3nByK5pVq', name: 'High p95 latency', project_id: null, metric: 'turn_latency_p95', operator: '>', threshold_value: 1200, current_value: 1850, previous_state: 'ok', triggered_at: '2026-11-23T10:00:00Z' },
  }),
})
@Module({ controllers: [PolyaiWebhookEndpointsController], providers: [PolyaiEndpointsService] })
export class PolyaiPlugin {}
