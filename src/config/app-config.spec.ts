import { loadConfig } from './app-config';

describe('TRUST_PROXY', () => {
  it('believes no forwarded address by default', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
  });

  it.each([
    ['true', true],
    ['2', 2],
    ['loopback, 10.0.0.0/8, fd00::1', ['loopback', '10.0.0.0/8', 'fd00::1']],
  ])('reads %s', (value, expected) => {
    expect(loadConfig({ TRUST_PROXY: value }).trustProxy).toEqual(expected);
  });

  it.each(['proxy.internal', '10.0.0.0/33', ','])('refuses %s with one line naming the variable and the entry', (value) => {
    expect(() => loadConfig({ TRUST_PROXY: value })).toThrow(/^Invalid configuration: TRUST_PROXY must be true, false, a hop count or a comma list/);
  });
});

describe('TIMBRIX_ORG_SLUG_CLAIM, TIMBRIX_ORG_NAME_CLAIM', () => {
  it('default to org_slug and org_name, and take any claim name or dotted path', () => {
    expect(loadConfig({})).toMatchObject({ TIMBRIX_ORG_SLUG_CLAIM: 'org_slug', TIMBRIX_ORG_NAME_CLAIM: 'org_name' });
    expect(loadConfig({ TIMBRIX_ORG_NAME_CLAIM: 'app_metadata.org_name' }).TIMBRIX_ORG_NAME_CLAIM).toBe('app_metadata.org_name');
  });

  it('refuse an empty claim name with one line naming the variable', () => {
    expect(() => loadConfig({ TIMBRIX_ORG_SLUG_CLAIM: '' })).toThrow(/^Invalid configuration: TIMBRIX_ORG_SLUG_CLAIM/);
  });
});
