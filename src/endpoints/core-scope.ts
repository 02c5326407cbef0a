import { Principal, tenantScope } from '../auth/principal';
import type { TenantScope } from './endpoints.service';

/** What a /v1 caller may see: its tenant (every tenant for admin), endpoints of every plugin. */
export const coreScope = (p: Principal): TenantScope => ({ actor: p.subject, tenant: tenantScope(p), plugin: null });
