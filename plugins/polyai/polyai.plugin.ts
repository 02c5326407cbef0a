import { Module } from '@nestjs/common';
import { ValidationFailedError, WebhookPlugin } from '../../src/sdk';
import { PolyaiWebhookEndpointsController } from './polyai-webhook-endpoints.controller';
import { polyaiDelivery } from './polyai.delivery';
import { newEndpointId } from './polyai.endpoint-id';
import { POLYAI_ERROR_RESPONSES, polyaiErrors, polyaiIssues } from './polyai.errors';
import { polyaiEndpointRules } from './polyai.rules';
import { WebhookAlert, WebhookEventType } from './polyai.schemas';

/** An alert's problems, each at `data.<field>` in PolyAI's wording (the core renders them as problem+json). */
function alertIssues(data: unknown) {
  try {
    WebhookAlert.parse(data);
    return [];
  } catch (error) {
    if (error instanceof ValidationFailedError) return polyaiIssues(error.issues, 'data', ['data']);
    throw error;
  }
}

@WebhookPlugin({
  key: 'polyai',
  title: 'PolyAI alerts',
  description: 'The PolyAI Webhooks API: alert notifications to the endpoints an account registers with its x-api-key. Errors are {message}.',
  routePrefix: 'polyai',
  eventTypes: [
    { type: 'alerts.triggered', description: 'An alert rule crossed its threshold (data: WebhookAlert)' },
    { type: 'alerts.resolved', description: 'A firing alert returned to normal (data: WebhookAlert)' },
  ],
  delivery: polyaiDelivery,
  errors: polyaiErrors,
  // The seed names WebhookEventType and its error responses; bodies and responses name themselves (schema()).
  openApiComponents: { schemas: { [WebhookEventType.name]: WebhookEventType.jsonSchema }, responses: POLYAI_ERROR_RESPONSES },
  endpointRules: polyaiEndpointRules,
  newEndpointId,
  validateEvent: (event) => alertIssues(event.data),
  sampleEvent: () => ({
    type: 'alerts.triggered',
    data: { id: 'ar_9ZtRcXw3nByK5pVq', name: 'High p95 latency', project_id: null, metric: 'turn_latency_p95', operator: '>', threshold_value: 1200, current_value: 1850, previous_state: 'ok', triggered_at: '2026-11-23T10:00:00Z' },
  }),
})
@Module({ controllers: [PolyaiWebhookEndpointsController] })
export class PolyaiPlugin {}
