import { EndpointView } from '../../src/sdk';
import { newEndpointId } from './polyai.endpoint-id';
import { toEndpointPatch, toListQuery, toNewEndpoint, toWebhookEndpoint } from './polyai.mapper';
import { CreateWebhookEndpointRequest, ListWebhookEndpointsQuery } from './polyai.schemas';

const view: EndpointView = {
  id: 'whe_9ZtRcXw3nByK5pVqMaEfJs',
  plugin: 'polyai',
  tenant: 'acct',
  url: 'https://example.com/webhooks/polyai',
  eventTypes: ['alerts.triggered'],
  filters: [],
  description: 'Production alerts',
  metadata: {},
  group: null,
  headers: { 'X-Custom-Header': 'my-value' },
  auth: null,
  timeoutMs: 7000,
  rateLimitPerSecond: null,
  enabled: true,
  disabledBy: null,
  disabledReason: null,
  createdAt: Date.UTC(2026, 2, 20, 10, 0, 0),
  updatedAt: Date.UTC(2026, 2, 20, 11, 0, 0),
  deletedAt: null,
};

describe('polyai mapper', () => {
  it('maps a unified endpoint to the WebhookEndpoint shape', () => {
    expect(toWebhookEndpoint(view)).toEqual({
      id: 'whe_9ZtRcXw3nByK5pVqMaEfJs',
      name: 'Production alerts',
      url: 'https://example.com/webhooks/polyai',
      enabled: true,
      event_types: ['alerts.triggered'],
      headers: { 'X-Custom-Header': 'my-value' },
      timeout_ms: 7000,
      created_at: '2026-03-20T10:00:00.000Z',
      updated_at: '2026-03-20T11:00:00.000Z',
    });
  });

  it('applies the seed defaults on create', () => {
    expect(toNewEndpoint(CreateWebhookEndpointRequest.parse({ name: 'n', url: 'https://h.example/', event_types: ['alerts.resolved'] }))).toEqual({
      url: 'https://h.example/',
      description: 'n',
      eventTypes: ['alerts.resolved'],
      headers: {},
      timeoutMs: 5000,
      enabled: true,
    });
  });

  it('a patch carries only the fields present (no defaults)', () => {
    expect(toEndpointPatch({ name: 'renamed' })).toEqual({ description: 'renamed' });
    expect(toEndpointPatch({ enabled: false, timeout_ms: 1000 })).toEqual({ enabled: false, timeoutMs: 1000 });
    expect(toEndpointPatch({})).toEqual({});
  });

  it('maps list filters', () => {
    expect(toListQuery(ListWebhookEndpointsQuery.parse({ enabled: 'false', event_type: 'alerts.triggered' }))).toEqual({ enabled: false, eventType: 'alerts.triggered' });
    expect(toListQuery(ListWebhookEndpointsQuery.parse({}))).toEqual({ enabled: undefined, eventType: undefined });
  });

  it('makes ids in the provider format', () => {
    const ids = Array.from({ length: 50 }, newEndpointId);
    for (const id of ids) expect(id).toMatch(/^whe_[A-Za-z0-9]{22}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
