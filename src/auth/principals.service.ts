import { Injectable, Logger } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import * as jwt from 'jsonwebtoken';
import { IsNull } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { AuditService } from '../audit/audit.service';
import { NotFoundError, ValidationFailedError } from '../common/errors';
import { prefixedToken, uuidv7 } from '../common/ids';
import { iso } from '../persistence/columns';
import { Database } from '../persistence/database';
import { ApiKeyRow, OAuthClientRow } from '../persistence/entities';
import { PluginRegistry } from '../plugins-host/plugin-registry';
import { clientInputIssues } from './client-input';
import { Principal } from './principal';
import { CORE_SCOPES } from './scopes';

/**
 * Client secrets and API keys are 192-bit random tokens, so a SHA-256 digest is enough to store
 * them (a slow password hash protects guessable secrets; these are not guessable).
 */
const digest = (secret: string): string => createHash('sha256').update(secret).digest('hex');

/**
 * How long a process trusts its last look at whether a client is revoked. A revocation made by
 * this process applies at once; another process (or the CLI) sees it after at most this long.
 */
export const CLIENT_STATUS_TTL_MS = 2000;
const CLIENT_STATUS_MAX = 10_000;

export interface ClientInput {
  name: string;
  scopes: string[];
  tenant?: string;
  orgRoles?: Record<string, string>;
}

export interface ClientView {
  clientId: string;
  name: string;
  scopes: string[];
  tenant: string;
  orgRoles: Record<string, string>;
  createdAt: string;
  revokedAt: string | null;
}

export interface ApiKeyView {
  id: string;
  name: string | null;
  tenant: string;
  createdAt: string;
  revokedAt: string | null;
}

@Injectable()
export class PrincipalsService {
  private readonly log = new Logger('Auth');
  /** Whether a token subject is a revoked client, by subject (the pending answer is shared). */
  private readonly revokedClients = new Map<string, { revoked: Promise<boolean>; until: number }>();

  constructor(
    private readonly db: Database,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
    private readonly plugins: PluginRegistry,
  ) {}

  /** A client whose scopes are the core's or an enabled plugin's, and whose org roles are known ones. */
  async createClient(actor: string, input: ClientInput): Promise<ClientView & { clientSecret: string }> {
    const known = { ...CORE_SCOPES, ...Object.assign({}, ...this.plugins.all().map((pl) => pl.metadata.scopes ?? {})) };
    const issues = clientInputIssues(input, known);
    if (issues.length) throw new ValidationFailedError(issues);
    const id = prefixedToken('hgc_', 12);
    const secret = prefixedToken('hgcs_');
    const row: OAuthClientRow = { id, name: input.name, secretHash: digest(secret), scopes: input.scopes, tenant: input.tenant ?? id, orgRoles: input.orgRoles ?? null, createdAt: Date.now(), revokedAt: null };
    await this.db.transaction(async (m) => {
      await m.insert(OAuthClientRow, row);
      await this.audit.record(m, { actor, tenant: row.tenant, action: 'client.created', target: id, details: { scopes: input.scopes.join(' ') } });
    });
    return { ...clientView(row), clientSecret: secret };
  }

  async listClients(): Promise<ClientView[]> {
    return (await this.db.manager.find(OAuthClientRow, { order: { createdAt: 'DESC' } })).map(clientView);
  }

  async revokeClient(actor: string, id: string): Promise<void> {
    const row = await this.db.transaction(async (m) => {
      const row = await m.findOne(OAuthClientRow, { where: { id, revokedAt: IsNull() } });
      if (!row) throw new NotFoundError(`Client ${id} not found`);
      await m.update(OAuthClientRow, { id }, { revokedAt: Date.now() });
      await this.audit.record(m, { actor, tenant: row.tenant, action: 'client.revoked', target: id });
      return row;
    });
    this.revokedClients.delete(id);
    this.log.log({ msg: 'client revoked', clientId: id, tenant: row.tenant, actor });
  }

  /**
   * Whether `subject` (a token's `sub`, the client id for tokens this gateway issues) names a
   * revoked client. Subjects that are no client of ours (external IdP users) are never revoked here.
   */
  isRevokedClient(subject: string): Promise<boolean> {
    const now = Date.now();
    const cached = this.revokedClients.get(subject);
    if (cached && cached.until > now) return cached.revoked;
    const revoked = this.db.manager
      .findOne(OAuthClientRow, { where: { id: subject }, select: { id: true, revokedAt: true } })
      .then((row) => row?.revokedAt != null);
    if (this.revokedClients.size >= CLIENT_STATUS_MAX) this.revokedClients.clear();
    this.revokedClients.set(subject, { revoked, until: now + CLIENT_STATUS_TTL_MS });
    // A failed lookup is not kept: the next request asks again.
    revoked.catch(() => this.revokedClients.get(subject)?.revoked === revoked && this.revokedClients.delete(subject));
    return revoked;
  }

  /** The client if id and secret match a live client (constant-time on the digest). */
  async authenticateClient(id: string, secret: string): Promise<OAuthClientRow | null> {
    const row = await this.db.manager.findOne(OAuthClientRow, { where: { id, revokedAt: IsNull() } });
    if (!row) return null;
    const a = Buffer.from(row.secretHash, 'hex');
    const b = Buffer.from(digest(secret), 'hex');
    return a.length === b.length && timingSafeEqual(a, b) ? row : null;
  }

  /** A short-lived HS256 token for the client, with its scopes narrowed to `scopes`. */
  issueToken(client: OAuthClientRow, scopes: string[]): { access_token: string; token_type: 'Bearer'; expires_in: number; scope: string } {
    const expiresIn = this.config.AUTH_TOKEN_TTL_SECONDS;
    const claims: Record<string, unknown> = { scope: scopes.join(' '), tenant: client.tenant };
    if (client.orgRoles) claims.org_roles = client.orgRoles;
    const token = jwt.sign(claims, this.config.AUTH_JWT_SECRET!, { algorithm: 'HS256', subject: client.id, expiresIn, jwtid: uuidv7() });
    return { access_token: token, token_type: 'Bearer', expires_in: expiresIn, scope: scopes.join(' ') };
  }

  async createApiKey(actor: string, input: { tenant: string; name?: string }): Promise<ApiKeyView & { key: string }> {
    const key = prefixedToken('hgk_');
    const row: ApiKeyRow = { id: prefixedToken('key_', 9), name: input.name ?? null, keyHash: digest(key), tenant: input.tenant, createdAt: Date.now(), revokedAt: null };
    await this.db.transaction(async (m) => {
      await m.insert(ApiKeyRow, row);
      await this.audit.record(m, { actor, tenant: row.tenant, action: 'api_key.created', target: row.id });
    });
    return { ...apiKeyView(row), key };
  }

  async listApiKeys(): Promise<ApiKeyView[]> {
    return (await this.db.manager.find(ApiKeyRow, { order: { createdAt: 'DESC' } })).map(apiKeyView);
  }

  async revokeApiKey(actor: string, id: string): Promise<void> {
    const row = await this.db.transaction(async (m) => {
      const row = await m.findOne(ApiKeyRow, { where: { id, revokedAt: IsNull() } });
      if (!row) throw new NotFoundError(`API key ${id} not found`);
      await m.update(ApiKeyRow, { id }, { revokedAt: Date.now() });
      await this.audit.record(m, { actor, tenant: row.tenant, action: 'api_key.revoked', target: id });
      return row;
    });
    this.log.log({ msg: 'API key revoked', apiKeyId: id, tenant: row.tenant, actor });
  }

  async principalForApiKey(key: string): Promise<Principal | null> {
    const row = await this.db.manager.findOne(ApiKeyRow, { where: { keyHash: digest(key), revokedAt: IsNull() } });
    return row ? { kind: 'apiKey', subject: row.id, tenant: row.tenant, scopes: [], orgRoles: {}, claims: {} } : null;
  }
}

function clientView(row: OAuthClientRow): ClientView {
  return { clientId: row.id, name: row.name, scopes: row.scopes, tenant: row.tenant, orgRoles: row.orgRoles ?? {}, createdAt: iso(row.createdAt)!, revokedAt: iso(row.revokedAt) };
}

function apiKeyView(row: ApiKeyRow): ApiKeyView {
  return { id: row.id, name: row.name, tenant: row.tenant, createdAt: iso(row.createdAt)!, revokedAt: iso(row.revokedAt) };
}
