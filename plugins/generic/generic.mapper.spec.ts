import { credentialHeaders, deliveryUrl } from './generic.delivery';
import { MASKED_VALUE, type EndpointView } from '../../src/sdk';
import { GenericWebhookRequest } from './generic.schemas';
import { routesTo, toEndpointInput, toGenericWebhookView } from './generic.mapper';

function endpoint(metadata: Record<string, unknown>, auth: Record<string, unknown> | null): EndpointView {
  return {
    id: 'e1', plugin: 'generic', tenant: 't', url: 'https://example.com/hook', eventTypes: [], filters: [], description: null, metadata, group: null, headers: {}, auth,
    timeoutMs: null, rateLimitPerSecond: null, enabled: true, disabledBy: null, disabledReason: null, createdAt: 0, updatedAt: 0, deletedAt: null,
  };
}

describe('generic mapping', () => {
  it('fills the header and query parameter defaults and keeps credentials out of metadata', () => {
    const header = GenericWebhookRequest.parse({ endpoint: 'https://example.com/h', authType: 'header', token: 'k' });
    expect(header.auth).toEqual({ authType: 'header', token: 'k', headerName: 'X-Api-Key' });
    const query = GenericWebhookRequest.parse({ isAlertHook: true, endpoint: 'https://example.com/h', authType: 'querystring', token: 'k' });
    expect(toEndpointInput(query)).toEqual({ url: 'https://example.com/h', metadata: { isAlertHook: true }, auth: { authType: 'querystring', token: 'k', queryParam: 'token' } });
  });

  it('appends the query credential after the existing query and before the fragment', () => {
    const auth = { authType: 'querystring', token: 'a b', queryParam: 'key' } as const;
    expect(deliveryUrl('https://example.com/h?x=1&y#frag', auth)).toBe('https://example.com/h?x=1&y&key=a%20b#frag');
    expect(deliveryUrl('https://example.com/h', auth)).toBe('https://example.com/h?key=a%20b');
    expect(deliveryUrl('https://example.com/h?x=1', { authType: 'bearer', token: 't' })).toBe('https://example.com/h?x=1');
  });

  it('builds one credential header per authType', () => {
    expect(credentialHeaders({ authType: 'basic', userName: 'u', password: 'p' })).toEqual({ Authorization: 'Basic dTpw' });
    expect(credentialHeaders({ authType: 'bearer', token: 't' })).toEqual({ Authorization: 'Bearer t' });
    expect(credentialHeaders({ authType: 'authheader', token: 'Token t' })).toEqual({ Authorization: 'Token t' });
    expect(credentialHeaders({ authType: 'header', token: 't', headerName: 'X-Key' })).toEqual({ 'X-Key': 't' });
    expect(credentialHeaders({ authType: 'querystring', token: 't', queryParam: 'k' })).toEqual({});
    expect(credentialHeaders({ authType: 'none' })).toEqual({});
  });

  it('routes alert.* to the alert hook only and everything else to the data hook', () => {
    const alert = endpoint({ isAlertHook: true }, null);
    const data = endpoint({ isAlertHook: false }, null);
    expect([routesTo(alert, { type: 'alert.triggered' }), routesTo(data, { type: 'alert.triggered' })]).toEqual([true, false]);
    expect([routesTo(alert, { type: 'data.updated' }), routesTo(data, { type: 'data.updated' })]).toEqual([false, true]);
  });

  it('masks every credential in the view', () => {
    const view = toGenericWebhookView(endpoint({ isAlertHook: false }, { authType: 'basic', userName: 'ann', password: 'secret' }));
    expect(view).toMatchObject({ authType: 'basic', userName: MASKED_VALUE, password: MASKED_VALUE });
    expect(JSON.stringify(view)).not.toMatch(/ann|secret/);
  });
});
