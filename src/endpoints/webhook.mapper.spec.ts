import { EndpointView } from './endpoint.view';
import { toWebhookDto } from './webhook.mapper';

const endpoint: EndpointView = {
  id: 'e1',
  plugin: null,
  tenant: 'acme',
  url: 'https://example.com/hooks',
  eventTypes: ['invoice.paid'],
  filters: [],
  description: 'Billing',
  metadata: { team: 'billing' },
  group: null,
  headers: { Authorization: 'Bearer s3cret', 'X-Team': 'billing' },
  auth: { password: 'p' },
  timeoutMs: null,
  rateLimitPerSecond: 5,
  enabled: false,
  disabledBy: 'auto',
  disabledReason: 'failing since yesterday',
  createdAt: Date.UTC(2026, 0, 2, 3, 4, 5),
  updatedAt: Date.UTC(2026, 0, 3),
  deletedAt: null,
};

describe('toWebhookDto', () => {
  it('shows header names with masked values, and neither auth nor internal fields', () => {
    const dto = toWebhookDto(endpoint);
    expect(dto.headers).toEqual({ Authorization: '********', 'X-Team': '********' });
    expect(JSON.stringify(dto)).not.toContain('s3cret');
    expect(dto).not.toHaveProperty('auth');
    expect(dto).not.toHaveProperty('disabledBy');
    expect(dto).not.toHaveProperty('deletedAt');
  });

  it('writes times as ISO 8601', () => {
    expect(toWebhookDto(endpoint)).toMatchObject({ createdAt: '2026-01-02T03:04:05.000Z', updatedAt: '2026-01-03T00:00:00.000Z', disabledReason: 'failing since yesterday' });
  });
});
