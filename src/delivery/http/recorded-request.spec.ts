import { EndpointView } from '../../endpoints/endpoint.view';
import { attemptDetail, maskedUrl, MASKED_VALUE, NO_ATTEMPT_DETAIL, recordedRequest, recordedResponseHeaders, sha256 } from './recorded-request';

const endpoint = (over: Partial<EndpointView>): EndpointView => ({
  id: 'e1', plugin: null, tenant: 't', url: 'https://example.com/hook', eventTypes: [], filters: [], description: null, metadata: {}, headers: {}, auth: null,
  timeoutMs: null, rateLimitPerSecond: null, enabled: true, disabledBy: null, disabledReason: null, group: null, createdAt: 0, updatedAt: 0, deletedAt: null, ...over,
});

describe('recordedRequest', () => {
  it('masks signatures, credentials by name, custom header values and any value holding a known secret; keeps the rest', () => {
    const wire = {
      url: 'https://example.com/hook',
      body: '{"a":1}',
      bodySha256: () => sha256('{"a":1}'),
      headers: {
        'content-type': 'application/json',
        'webhook-id': 'd1',
        'webhook-signature': 'v1,abc',
        authorization: 'Basic dTpw',
        'x-key': 'tok-123456',
        'x-tenant': 'blue',
        'x-event': 'order.paid',
        'x-echo': 'prefix whsec_secretsecret suffix',
      },
    };
    const recorded = recordedRequest(wire, endpoint({ headers: { 'X-Tenant': 'blue' }, auth: { authType: 'header', headerName: 'X-Key', token: 'tok-123456' } }), ['whsec_secretsecret']);
    expect(recorded.headers).toEqual({
      'content-type': 'application/json',
      'webhook-id': 'd1',
      'webhook-signature': MASKED_VALUE,
      authorization: MASKED_VALUE,
      'x-key': MASKED_VALUE,
      'x-tenant': MASKED_VALUE,
      'x-event': 'order.paid',
      'x-echo': MASKED_VALUE,
    });
    expect(recorded.bodySha256).toBe(sha256('{"a":1}'));
    expect(JSON.stringify(recorded)).not.toMatch(/tok-123456|whsec_secretsecret|dTpw|blue/);
  });

  it('masks user info and secret query values, leaving the rest of the URL byte for byte', () => {
    expect(maskedUrl('https://ann:pw@example.com/h?x=1&token=abc%20d&sig=zz#frag')).toBe('https://****:****@example.com/h?x=1&token=****&sig=****#frag');
    expect(maskedUrl('https://ann@example.com/h')).toBe('https://****@example.com/h');
    expect(maskedUrl('https://example.com/h?k=q9Zsecret&flag', ['q9Zsecret'])).toBe('https://example.com/h?k=****&flag');
    expect(maskedUrl('https://example.com/h?page=2')).toBe('https://example.com/h?page=2');
  });

  it('masks cookies and tokens a receiver sets, joins repeated headers', () => {
    expect(recordedResponseHeaders({ 'set-cookie': ['a=1', 'b=2'], 'x-request-id': 'r1', vary: ['a', 'b'], gone: undefined })).toEqual({ 'set-cookie': MASKED_VALUE, 'x-request-id': 'r1', vary: 'a, b' });
  });
});

describe('attemptDetail', () => {
  const wire = { url: 'https://example.com/hook', body: '{}', bodySha256: () => sha256('{}'), headers: { 'content-type': 'application/json' } };
  it('keeps nothing of a request the SSRF guard refused (it was never sent)', () => {
    expect(attemptDetail(wire, endpoint({}), [], { statusCode: null, error: 'destination not allowed', denied: true, retryAfterMs: null, responseBody: null, responseHeaders: null, durationMs: 0 })).toEqual(NO_ATTEMPT_DETAIL);
  });

  it('keeps the request of an attempt that got no response, with no response headers', () => {
    const detail = attemptDetail(wire, endpoint({}), [], { statusCode: null, error: 'timeout after 10 ms', retryAfterMs: null, responseBody: null, responseHeaders: null, durationMs: 10 });
    expect(detail).toEqual({ requestUrl: wire.url, requestHeaders: wire.headers, requestBodySha256: sha256('{}'), responseHeaders: null });
  });
});
