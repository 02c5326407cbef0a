import { Principal, tenantScope } from '../auth/principal';
import type { TenantScope } from './endpoints.service';

/**
 * What a /v1 caller may see: its tenant (every tenant for admin, or the one it filters on with
 * `requestedTenant`), endpoints of every plugin.
 */
export const coreScope = (p: Principal, requestedTenant?: string): TenantScope => ({ actor: p.subject, tenant: tenantScope(p, requestedTenant), plugin: null });
