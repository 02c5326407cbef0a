import { ValidationFailedError } from '../../src/sdk';
import { polyaiErrors } from './polyai.errors';
import { CreateWebhookEndpointRequest } from './polyai.schemas';

/** The `{message}` PolyAI answers for a body the create schema refuses. */
function messageFor(body: unknown): string {
  try {
    CreateWebhookEndpointRequest.parse(body);
  } catch (error) {
    if (error instanceof ValidationFailedError) return (polyaiErrors.render(error).body as { message: string }).message;
    throw error;
  }
  throw new Error('the body was accepted');
}

const valid = { name: 'n', url: 'https://example.com/h', event_types: ['alerts.triggered'] };

describe('polyai errors', () => {
  it("words zod's issues as the seed's sentences, the first problem of each field only", () => {
    expect(messageFor({ ...valid, url: 'http://exa mple.com', timeout_ms: 1.5, extra: 1, other: 2 })).toBe(
      'url must be a valid uri; timeout_ms must be an integer; extra is not an allowed property; other is not an allowed property',
    );
    expect(messageFor({ ...valid, event_types: ['alerts.triggered', 'alerts.resolved', 'alerts.resolved'] })).toBe('event_types must not contain duplicates (items 1 and 2 are the same)');
  });

  it('checks reserved headers only once the body has the right shape', () => {
    expect(messageFor({ ...valid, name: '', headers: { 'X-PolyAI-Signature': 'x' } })).toBe('name must be at least 1 character long');
    expect(messageFor({ ...valid, headers: { 'X-PolyAI-Signature': 'x' } })).toBe('headers.X-PolyAI-Signature is set by the gateway on every delivery and cannot be overridden');
  });

  it("passes the core's issues through and answers a plain error's message", () => {
    const core = new ValidationFailedError([{ path: ['url'], code: 'url', message: 'url must not contain credentials (user:password@)' }]);
    expect(polyaiErrors.render(core).body).toEqual({ message: 'url must not contain credentials (user:password@)' });
  });

  it("describes an error status as the seed's named response, and a 400 so only where a query or body is validated", () => {
    const op = (operationId: string) => ({ operationId, method: 'post', path: '/polyai/v1/webhook-endpoints' });
    expect(polyaiErrors.describe!(400, op('createWebhookEndpoint'))).toEqual({ description: 'Validation error.', schema: polyaiErrors.schema });
    expect(polyaiErrors.describe!(400, op('rotateWebhookSigningSecret'))).toBeUndefined();
    expect(polyaiErrors.describe!(401, op('rotateWebhookSigningSecret'))?.description).toBe('Missing or invalid API key.');
    expect(polyaiErrors.describe!(429, op('createWebhookEndpoint'))).toBeUndefined();
  });
});
