import { claimAt, principalFromClaims } from './claims';

describe('claimAt', () => {
  const claims = { sub: 'u', 'https://timbrix.io/claims': { org_roles: { o1: 'OWNER' }, 'a.b': { c: 1 } }, plain: { nested: 'x' } };

  it('reads a top-level claim, a dot path and a claim whose name has dots', () => {
    expect(claimAt(claims, 'sub')).toBe('u');
    expect(claimAt(claims, 'plain.nested')).toBe('x');
    expect(claimAt(claims, 'https://timbrix.io/claims.org_roles')).toEqual({ o1: 'OWNER' });
    expect(claimAt(claims, 'https://timbrix.io/claims.a.b.c')).toBe(1);
  });

  it('reads an array of exact segments', () => {
    expect(claimAt(claims, ['https://timbrix.io/claims', 'a.b', 'c'])).toBe(1);
    expect(claimAt(claims, ['https://timbrix.io/claims', 'a', 'b'])).toBeUndefined();
  });

  it('is undefined for a path the token does not have', () => {
    expect(claimAt(claims, 'plain.missing.deeper')).toBeUndefined();
    expect(claimAt(claims, 'https://other.io/claims.org_roles')).toBeUndefined();
  });
});

describe('principalFromClaims', () => {
  it('reads `scope` and `scp` when no scopeClaim is named, only the named claim otherwise', () => {
    const claims = { sub: 'u', scope: 'a b', scp: ['b', 'c'], roles: ['r'] };
    expect(principalFromClaims(claims)!.scopes).toEqual(['a', 'b', 'c']);
    expect(principalFromClaims(claims, { scopeClaim: 'roles' })!.scopes).toEqual(['r']);
  });

  it('keeps only string roles and the raw claims', () => {
    const claims = { sub: 'u', org_roles: { o1: 'ADMIN', o2: 7 } };
    expect(principalFromClaims(claims, {}, 'https://idp.test/')).toMatchObject({ orgRoles: { o1: 'ADMIN' }, issuer: 'https://idp.test/', claims });
  });

  it('names no principal without sub or client_id', () => {
    expect(principalFromClaims({ scope: 'admin' })).toBeNull();
    expect(principalFromClaims({ client_id: 'app' })).toMatchObject({ subject: 'app', tenant: 'app' });
  });
});
