import type { CoreError, PluginEndpoints, Principal } from '../../src/sdk';
import { genericErrors } from './generic.errors';
import { GenericWebhookRequest, IsAlertHookQuery } from './generic.schemas';
import { GenericWebhooksService } from './generic-webhooks.service';

const endpoint = 'https://example.com/hook';

/** What the surface answers for a body: the message of the first rule that fails, or null. */
function firstRuleBroken(body: unknown): string | null {
  try {
    GenericWebhookRequest.parse(body);
    return null;
  } catch (error) {
    return (genericErrors.render(error as CoreError).body as { message: string }).message;
  }
}

describe('generic request schema: the provider reports the first rule, in its documented order', () => {
  it.each<[string, Record<string, unknown>, string]>([
    ['an unknown field before a field of the wrong type', { isAlertHook: 'yes', secret: 'x', endpoint, authType: 'none' }, 'property secret should not exist'],
    ['a field type before endpoint and authType', { token: 1, authType: 'digest' }, 'token must be a string'],
    ['endpoint before authType', { endpoint: 42, authType: 'digest' }, 'endpoint must be a string'],
    ['a null endpoint as a missing one', { endpoint: null, authType: 'none' }, 'endpoint is required'],
    ['an over-long endpoint before authType', { endpoint: `${endpoint}?${'a'.repeat(2048)}` }, 'endpoint must be at most 2048 characters'],
    ['credentials with none before headerName', { endpoint, authType: 'none', headerName: 'X-Key', token: 't' }, 'token must not be provided when authType is none'],
    ['credentials and token together before headerName', { endpoint, authType: 'basic', userName: 'u', token: 't', headerName: 'X-Key' }, 'provide either userName and password or token, not both'],
    ['headerName with basic before its credentials', { endpoint, authType: 'basic', headerName: 'X-Key' }, 'headerName must only be provided when authType is header'],
    ['basic with a token alone as a missing userName', { endpoint, authType: 'basic', token: 't' }, 'userName is required when authType is basic'],
    ["an empty password before userName's colon", { endpoint, authType: 'basic', userName: 'a:b', password: '' }, 'password must not be empty'],
    ['a control character in a password', { endpoint, authType: 'basic', userName: 'u', password: 'p\u0000' }, 'password must not contain control characters'],
    ['a bad queryParam before the query clash', { endpoint: `${endpoint}?token=1`, authType: 'querystring', token: 't', queryParam: 'a b' }, 'queryParam must contain only letters, digits and . _ ~ -'],
    ['a clash with the default queryParam', { endpoint: `${endpoint}?token=1`, authType: 'querystring', token: 't' }, 'endpoint must not already contain the query parameter token when authType is querystring'],
  ])('%s', (_, body, message) => {
    expect(firstRuleBroken(body)).toBe(message);
  });

  it('leaves an unparsable endpoint to the URL policy, whatever the authType', () => {
    expect(firstRuleBroken({ endpoint: 'not a url', authType: 'querystring', token: 't' })).toBeNull();
  });

  it('types the hook to store: defaults applied, null and refused fields not kept', () => {
    const none = GenericWebhookRequest.parse({ isAlertHook: null, endpoint, authType: 'none', userName: null, headerName: null });
    expect(JSON.parse(JSON.stringify(none))).toEqual({ isAlertHook: false, endpoint, auth: { authType: 'none' } });
    const header = GenericWebhookRequest.parse({ isAlertHook: true, endpoint, authType: 'header', token: 'k', queryParam: null });
    expect(JSON.parse(JSON.stringify(header))).toEqual({ isAlertHook: true, endpoint, auth: { authType: 'header', token: 'k', headerName: 'X-Api-Key' } });
  });

  it('reads the DELETE query as a boolean, absent = the data hook', () => {
    expect([IsAlertHookQuery.parse(undefined), IsAlertHookQuery.parse('true'), IsAlertHookQuery.parse('false')]).toEqual([false, true, false]);
    expect(() => IsAlertHookQuery.parse(['true', 'false'])).toThrow('isAlertHook must be true or false');
  });
});

describe('generic URL policy', () => {
  const principal: Principal = { kind: 'token', subject: 's', tenant: 't', scopes: [], orgRoles: {}, claims: {} };
  const serviceRefusing = (problem: string) => new GenericWebhooksService({ urlProblem: () => problem } as unknown as PluginEndpoints);
  const body = GenericWebhookRequest.parse({ endpoint: 'http://10.0.0.1/hook', authType: 'none' });

  it("words the core's URL problems for the endpoint field", async () => {
    await expect(serviceRefusing('url points to a destination that is not allowed (private network)').create(principal, body)).rejects.toThrow(
      /^endpoint points to a destination that is not allowed \(private network\)$/,
    );
    await expect(serviceRefusing('url must be an absolute http(s) URL').update(principal, body)).rejects.toThrow(/^endpoint must be a valid URL$/);
  });
});
