import { CoreError, EndpointView, ForbiddenError, NotFoundError, PluginEvent, UnauthorizedError, ValidationFailedError } from '../../src/sdk';
import { isAboutEndpointOrganization, validateTimbrixEvent } from './timbrix.delivery';
import { actionOf, timbrixErrors } from './timbrix.errors';
import { organizationFromClaims, organizationOf, toDeliveryBody, toEndpointPatch, toTimbrixWebhook, toTimbrixWebhookWithSecret, webhookCreatedEvent } from './timbrix.mapper';

const ORG = '550e8400-e29b-41d4-a716-446655440000';
const endpoint: EndpointView = {
  id: '123e4567-e89b-12d3-a456-426614174000',
  plugin: 'timbrix',
  tenant: ORG,
  url: 'https://example.com/webhooks',
  eventTypes: ['organization.created', 'member.added'],
  filters: [],
  description: null,
  metadata: {},
  group: null,
  headers: {},
  auth: null,
  timeoutMs: null,
  rateLimitPerSecond: null,
  enabled: true,
  disabledBy: null,
  disabledReason: null,
  createdAt: Date.parse('2025-01-26T10:00:00Z'),
  updatedAt: Date.parse('2025-01-26T10:00:00Z'),
  deletedAt: null,
};
const event = (context: Record<string, unknown> | null): PluginEvent => ({ id: 'e1', tenant: ORG, type: 'member.added', data: { userId: 'u1' }, context, createdAt: Date.parse('2025-12-26T10:00:00Z') });

describe('timbrix mapper', () => {
  it("shows a webhook in the seed's shape, the secret only on create and in the seed's key order", () => {
    expect(toTimbrixWebhook(endpoint)).toEqual({
      id: endpoint.id,
      organizationId: ORG,
      url: 'https://example.com/webhooks',
      events: ['organization.created', 'member.added'],
      isActive: true,
      createdAt: '2025-01-26T10:00:00.000Z',
      updatedAt: '2025-01-26T10:00:00.000Z',
    });
    expect(Object.keys(toTimbrixWebhookWithSecret(endpoint, 'whsec_x'))).toEqual(['id', 'organizationId', 'url', 'events', 'isActive', 'secret', 'createdAt', 'updatedAt']);
  });

  it('maps an update to the fields it names only', () => {
    expect(toEndpointPatch({ isActive: false })).toEqual({ url: undefined, eventTypes: undefined, enabled: false });
    expect(toEndpointPatch({ url: 'https://a.example', events: ['invite.created'] })).toEqual({ url: 'https://a.example', eventTypes: ['invite.created'], enabled: undefined });
  });

  it("builds the seed's delivery body from the published organization context", () => {
    const organization = { id: ORG, slug: 'acme-corp', name: 'Acme Corp', plan: 'not for receivers' };
    expect(toDeliveryBody(event({ organization }))).toEqual({
      event: 'member.added',
      organization: { id: ORG, slug: 'acme-corp', name: 'Acme Corp' },
      data: { userId: 'u1' },
      timestamp: '2025-12-26T10:00:00.000Z',
    });
  });

  it('never leaves slug or name empty: the slug falls back to the organization id, the name to the slug', () => {
    expect(organizationOf(event(null))).toEqual({ id: ORG, slug: ORG, name: ORG });
    expect(organizationOf(event({ organization: { id: ORG, slug: 'acme-corp', name: '' } }))).toEqual({ id: ORG, slug: 'acme-corp', name: 'acme-corp' });
    expect(webhookCreatedEvent(endpoint, {})).toEqual({
      type: 'webhook.created',
      data: toTimbrixWebhook(endpoint),
      context: { organization: { id: ORG, slug: ORG, name: ORG } },
    });
    expect(webhookCreatedEvent(endpoint, { name: 'Acme Corp' }).context).toEqual({ organization: { id: ORG, slug: ORG, name: 'Acme Corp' } });
  });

  describe("reads the organization's slug and name from the caller's token claims", () => {
    const names = { slug: 'org_slug', name: 'org_name' };
    const caller = (claims: Record<string, unknown>, orgRoles: Record<string, string> = { [ORG]: 'OWNER' }) => ({ claims, orgRoles });

    it('from string claims when the token is about this organization alone', () => {
      expect(organizationFromClaims(ORG, caller({ org_slug: 'acme-corp', org_name: 'Acme Corp' }), names)).toEqual({ slug: 'acme-corp', name: 'Acme Corp' });
      expect(organizationFromClaims(ORG, caller({ org_slug: 'acme-corp' }, { [ORG]: 'OWNER', other: 'ADMIN' }), names)).toEqual({ slug: undefined, name: undefined });
      expect(organizationFromClaims(ORG, caller({ org_slug: ' ', org_name: 7 }), names)).toEqual({ slug: undefined, name: undefined });
    });

    it('from claims keyed by organization id, whatever other organizations the token names', () => {
      const claims = { org_slug: { [ORG]: 'acme-corp', other: 'globex' }, org_name: { other: 'Globex' } };
      expect(organizationFromClaims(ORG, caller(claims, { [ORG]: 'OWNER', other: 'ADMIN' }), names)).toEqual({ slug: 'acme-corp', name: undefined });
    });

    it('by exact name first (namespaced URLs), else by dotted path; none without claims (API keys)', () => {
      const claims = { 'https://timbrix.mx/org.slug': 'by-url', app_metadata: { org: { name: 'Nested Inc' } } };
      expect(organizationFromClaims(ORG, caller(claims), { slug: 'https://timbrix.mx/org.slug', name: 'app_metadata.org.name' })).toEqual({ slug: 'by-url', name: 'Nested Inc' });
      expect(organizationFromClaims(ORG, { orgRoles: { [ORG]: 'OWNER' }, claims: {} }, names)).toEqual({ slug: undefined, name: undefined });
    });
  });
});

describe('timbrix events', () => {
  it('accepts an event whose context names a UUID organization with slug and name', () => {
    expect(validateTimbrixEvent({ data: {}, context: { organization: { id: ORG, slug: 'acme', name: 'Acme' } } })).toEqual([]);
    expect(validateTimbrixEvent({ data: [], context: null }).map((i) => i.message)).toEqual(['data must be an object', 'context.organization must be an object with id, slug and name']);
    expect(validateTimbrixEvent({ data: {}, context: { organization: { id: ORG, slug: '', name: '  ' } } }).map((i) => i.message)).toEqual([
      'context.organization.slug must not be empty',
      'context.organization.name must not be empty',
    ]);
  });

  it('delivers only to webhooks of the organization the event is about', () => {
    expect(isAboutEndpointOrganization(endpoint, event({ organization: { id: ORG, slug: 'a', name: 'A' } }))).toBe(true);
    expect(isAboutEndpointOrganization(endpoint, event({ organization: { id: '00000000-0000-4000-8000-000000000000', slug: 'b', name: 'B' } }))).toBe(false);
  });
});

describe('timbrix errors', () => {
  const render = (error: CoreError, method = 'POST', path = `/timbrix/organizations/${ORG}/webhooks`) => timbrixErrors.render(error, { method, path }).body;

  it('names the route a request was aimed at', () => {
    const one = `/timbrix/organizations/${ORG}/webhooks/${endpoint.id}`;
    expect([actionOf({ method: 'POST', path: `/timbrix/organizations/${ORG}/webhooks` }), actionOf({ method: 'GET', path: `/timbrix/organizations/${ORG}/webhooks` })]).toEqual(['create', 'list']);
    expect(['GET', 'PUT', 'DELETE', 'POST'].map((method) => actionOf({ method, path: one }))).toEqual(['view', 'update', 'delete', null]);
    expect(actionOf({ method: 'GET', path: '/timbrix/elsewhere' })).toBeNull();
  });

  it('renders NestJS bodies with the seed sentences', () => {
    // The core's own issues (URL policy) keep their sentence.
    expect(render(new ValidationFailedError([{ path: ['url'], code: 'url', message: 'url must not contain credentials (user:password@)' }]))).toEqual({
      statusCode: 400,
      message: ['url must not contain credentials (user:password@)'],
      error: 'Bad Request',
    });
    expect(render(new UnauthorizedError('Missing, expired or invalid bearer token'))).toEqual({ statusCode: 401, message: 'Authentication required. Provide a valid bearer token.', error: 'Unauthorized' });
    expect(render(new ForbiddenError('no role'))).toEqual({ statusCode: 403, message: 'Access denied. Only owners and admins can create webhooks.', error: 'Forbidden' });
    expect(render(new ForbiddenError('no role'), 'DELETE', `/timbrix/organizations/${ORG}/webhooks/x`)).toMatchObject({ message: 'Access denied. Only owners and admins can delete webhooks.' });
    expect(render(new NotFoundError('Endpoint x not found'), 'PUT', `/timbrix/organizations/${ORG}/webhooks/x`)).toEqual({ statusCode: 404, message: 'Webhook not found with the provided ID.', error: 'Not Found' });
    expect(render(new NotFoundError(), 'GET', '/timbrix/nowhere')).toEqual({ statusCode: 404, message: 'Cannot GET /timbrix/nowhere', error: 'Not Found' });
    expect(render(new CoreError(500, 'internal', 'Internal server error'))).toEqual({ statusCode: 500, message: 'Internal server error', error: 'Internal Server Error' });
  });

  it("documents each operation's errors with the sentence it answers", () => {
    const at = (method: string, path: string) => ({ operationId: 'x', method, path });
    const one = '/timbrix/organizations/{organizationId}/webhooks/{id}';
    expect(timbrixErrors.describe!(400, at('post', '/timbrix/organizations/{organizationId}/webhooks'))).toEqual({
      description: 'Invalid input data (one message per invalid field), or a malformed UUID in the path',
      example: { statusCode: 400, message: ['url must be a valid URL', 'events must be an array'], error: 'Bad Request' },
    });
    expect(timbrixErrors.describe!(400, at('delete', one))?.example).toEqual({ statusCode: 400, message: 'Validation failed (uuid is expected)', error: 'Bad Request' });
    expect(timbrixErrors.describe!(403, at('get', one))?.description).toBe('Access denied. Only owners and admins can view webhooks.');
    expect(timbrixErrors.describe!(404, at('put', one))?.example).toEqual({ statusCode: 404, message: 'Webhook not found with the provided ID.', error: 'Not Found' });
    expect(timbrixErrors.describe!(429, at('get', one))).toBeUndefined();
  });
});
