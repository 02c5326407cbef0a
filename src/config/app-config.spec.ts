import { loadConfig } from './app-config';

describe('TRUST_PROXY', () => {
  it('believes no forwarded address by default', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
  });

  it.each([
    ['true', true],
    ['loopback, 10.0.0.0/8, fd00::1', ['loopback', '10.0.0.0/8', 'fd00::1']],
  ])('reads %s', (value, expected) => {
    expect(loadConfig({ TRUST_PROXY: value }).trustProxy).toEqual(expected);
  });

  it('reads a hop count as trust in that many hops, whatever their addresses', () => {
    const trusts = loadConfig({ TRUST_PROXY: '2' }).trustProxy as (address: string, hop: number) => boolean;
    expect([0, 1, 2, 3].map((hop) => trusts('203.0.113.9', hop))).toEqual([true, true, false, false]);
  });

  it.each(['proxy.internal', '10.0.0.0/33', ','])('refuses %s with one line naming the variable and the entry', (value) => {
    expect(() => loadConfig({ TRUST_PROXY: value })).toThrow(/^Invalid configuration: TRUST_PROXY must be true, false, a hop count or a comma list/);
  });
});

describe('AUTH_ISSUERS', () => {
  const cognito = { issuer: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_XXXX', jwksUri: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_XXXX/.well-known/jwks.json', tenantClaim: 'client_id', plugins: ['caliper'] };

  it('reads a JSON list of issuers', () => {
    expect(loadConfig({ AUTH_ISSUERS: JSON.stringify([cognito]) }).externalIssuers).toEqual([cognito]);
  });

  it('takes AUTH_JWKS_URI, AUTH_ISSUER and AUTH_AUDIENCE as one issuer', () => {
    expect(loadConfig({ AUTH_JWKS_URI: 'https://idp.test/jwks.json', AUTH_ISSUER: 'https://idp.test/', AUTH_AUDIENCE: 'hookgate' }).externalIssuers).toEqual([
      { jwksUri: 'https://idp.test/jwks.json', issuer: 'https://idp.test/', audience: 'hookgate' },
    ]);
    expect(loadConfig({}).externalIssuers).toEqual([]);
  });

  it.each([
    ['not json', 'must be a JSON list'],
    ['{}', 'must be a non-empty JSON list of issuers'],
    [JSON.stringify([{ ...cognito, jwksUri: 'ftp://x' }]), '[0].jwksUri must be an http(s) URL'],
    [JSON.stringify([{ jwksUri: cognito.jwksUri }]), '[0].issuer is required'],
    [JSON.stringify([{ ...cognito, tenant: 'x' }]), '[0] has an unknown field "tenant"'],
    [JSON.stringify([{ ...cognito, orgRolesClaim: 42 }]), '[0].orgRolesClaim must be a claim name, a dot path or an array of path segments'],
    [JSON.stringify([{ ...cognito, plugins: 'caliper' }]), '[0].plugins must be an array'],
    [JSON.stringify([cognito, cognito]), `lists the issuer ${cognito.issuer} twice`],
  ])('refuses %s with one line naming the variable', (value, why) => {
    expect(() => loadConfig({ AUTH_ISSUERS: value })).toThrow(`Invalid configuration: AUTH_ISSUERS ${why}`);
  });

  it('refuses AUTH_ISSUERS next to AUTH_JWKS_URI', () => {
    expect(() => loadConfig({ AUTH_ISSUERS: JSON.stringify([cognito]), AUTH_JWKS_URI: 'https://idp.test/jwks.json' })).toThrow(/^Invalid configuration: AUTH_ISSUERS cannot be combined with AUTH_JWKS_URI/);
  });
});

describe('LOG_FORMAT', () => {
  it('is unset by default (the logger picks pretty on a terminal) and takes json or pretty', () => {
    expect(loadConfig({}).LOG_FORMAT).toBeUndefined();
    expect(loadConfig({ LOG_FORMAT: 'json' }).LOG_FORMAT).toBe('json');
    expect(loadConfig({ LOG_FORMAT: 'pretty' }).LOG_FORMAT).toBe('pretty');
  });

  it('refuses anything else with one line naming the variable', () => {
    expect(() => loadConfig({ LOG_FORMAT: 'xml' })).toThrow(/^Invalid configuration: LOG_FORMAT must be one of the following values: json, pretty$/);
  });
});
