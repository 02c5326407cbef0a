import { clientInputIssues } from './client-input';

const known = { 'webhooks:read': 'Read endpoints', 'https://purl.imsglobal.org/spec/caliper/v1p1/scope/webhooks.read': 'Caliper' };

describe('clientInputIssues', () => {
  it('accepts declared scopes and the three org roles', () => {
    expect(clientInputIssues({ scopes: Object.keys(known), orgRoles: { o1: 'OWNER', o2: 'ADMIN', o3: 'MEMBER' } }, known)).toEqual([]);
  });

  it('names every unknown scope, then every unknown role by organization', () => {
    expect(clientInputIssues({ scopes: ['webhooks:read', 'root', 'events:publish'], orgRoles: { o1: 'owner', o2: 'MEMBER' } }, known)).toEqual([
      { path: ['scopes'], code: 'isIn', message: 'scopes has an unknown scope: root' },
      { path: ['scopes'], code: 'isIn', message: 'scopes has an unknown scope: events:publish' },
      { path: ['orgRoles', 'o1'], code: 'isIn', message: 'orgRoles.o1 must be one of OWNER, ADMIN, MEMBER' },
    ]);
  });

  it('does not take an object\'s inherited names (toString, constructor, __proto__) for declared scopes', () => {
    expect(clientInputIssues({ scopes: ['toString', 'constructor', '__proto__'] }, known).map((i) => i.message)).toEqual([
      'scopes has an unknown scope: toString',
      'scopes has an unknown scope: constructor',
      'scopes has an unknown scope: __proto__',
    ]);
  });
});
