import { parseClientCredentials } from './client-credentials';
import { OAuthError } from './oauth-error';

const basic = (credentials: string): string => `Basic ${Buffer.from(credentials).toString('base64')}`;

function oauthCode(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    if (err instanceof OAuthError) return err.oauthCode;
    throw err;
  }
  throw new Error('expected an OAuth error');
}

describe('parseClientCredentials', () => {
  it('reads client_secret_post fields and the scope list', () => {
    expect(parseClientCredentials({ grant_type: 'client_credentials', client_id: 'c1', client_secret: 's1', scope: 'webhooks:read  events:publish' }, undefined)).toEqual({
      clientId: 'c1',
      clientSecret: 's1',
      scopes: ['webhooks:read', 'events:publish'],
    });
  });

  it('leaves scopes absent when none are asked for', () => {
    expect(parseClientCredentials({ grant_type: 'client_credentials' }, undefined)).toEqual({ clientId: undefined, clientSecret: undefined, scopes: undefined });
  });

  it('reads HTTP Basic, %-decoding the id and the secret, whatever the scheme case', () => {
    expect(parseClientCredentials({ grant_type: 'client_credentials' }, basic('my%20client:p%3Ass%25'))).toMatchObject({ clientId: 'my client', clientSecret: 'p:ss%' });
    expect(parseClientCredentials({ grant_type: 'client_credentials' }, `bASIC ${Buffer.from('c:s').toString('base64')}`)).toMatchObject({ clientId: 'c', clientSecret: 's' });
  });

  it('splits Basic at the first colon (a raw colon in the secret stays in the secret)', () => {
    expect(parseClientCredentials({ grant_type: 'client_credentials' }, basic('c:a:b'))).toMatchObject({ clientId: 'c', clientSecret: 'a:b' });
  });

  it('ignores fields that are not strings', () => {
    expect(parseClientCredentials({ grant_type: 'client_credentials', client_id: 1, client_secret: ['s'], scope: {} }, undefined)).toEqual({ clientId: undefined, clientSecret: undefined, scopes: undefined });
  });

  it('wants grant_type, and only client_credentials', () => {
    expect(oauthCode(() => parseClientCredentials({}, undefined))).toBe('invalid_request');
    expect(oauthCode(() => parseClientCredentials('grant_type=client_credentials', undefined))).toBe('invalid_request');
    expect(oauthCode(() => parseClientCredentials({ grant_type: 'password' }, undefined))).toBe('unsupported_grant_type');
  });

  it('checks grant_type before the credentials', () => {
    expect(oauthCode(() => parseClientCredentials({ grant_type: 'password' }, basic('%zz:s')))).toBe('unsupported_grant_type');
  });

  it('refuses Basic together with body credentials, and Basic without a colon', () => {
    expect(oauthCode(() => parseClientCredentials({ grant_type: 'client_credentials', client_id: 'c', client_secret: 's' }, basic('c:s')))).toBe('invalid_request');
    expect(oauthCode(() => parseClientCredentials({ grant_type: 'client_credentials' }, basic('no-colon')))).toBe('invalid_request');
  });

  it('answers invalid_client to a malformed %-escape in Basic', () => {
    expect(oauthCode(() => parseClientCredentials({ grant_type: 'client_credentials' }, basic('%zz:s')))).toBe('invalid_client');
    expect(oauthCode(() => parseClientCredentials({ grant_type: 'client_credentials' }, basic('c:%E0%A4%A')))).toBe('invalid_client');
  });
});
