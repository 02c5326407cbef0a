import { ValidationIssue } from '../common/errors';

const ORG_ROLES = ['OWNER', 'ADMIN', 'MEMBER'];

/** What is wrong with a new client: scopes no one declared (`known`: the core's and the enabled plugins'), org roles that do not exist. */
export function clientInputIssues(input: { scopes: string[]; orgRoles?: Record<string, string> }, known: Record<string, unknown>): ValidationIssue[] {
  return [
    ...input.scopes.filter((s) => !Object.hasOwn(known, s)).map((s) => ({ path: ['scopes'], code: 'isIn', message: `scopes has an unknown scope: ${s}` })),
    ...Object.entries(input.orgRoles ?? {}).filter(([, role]) => !ORG_ROLES.includes(role)).map(([org]) => ({ path: ['orgRoles', org], code: 'isIn', message: `orgRoles.${org} must be one of ${ORG_ROLES.join(', ')}` })),
  ];
}
