import { AuditEventView } from '../../src/audit/audit.service';
import { rawRows } from '../fixtures/raw-db';
import { useGateway } from '../support/fixture';

/** What GET /v1/audit-events answers; `changes` carries the changed field names. */
type AuditEvent = Omit<AuditEventView, 'changes'> & { changes: { fields?: string[] } | null };

describe('audit: every change leaves a record without secrets', () => {
  const gw = useGateway();
  let writer: string;
  let auditor: string;
  let endpointId: string;
  const secrets: string[] = [];
  beforeAll(async () => {
    writer = gw.token({ sub: 'alice', tenant: 'acme', scope: 'webhooks:write deliveries:write' });
    auditor = gw.token({ sub: 'auditor', tenant: 'acme', scope: 'audit:read' });
    const created = await gw.request('POST', '/v1/webhooks', { url: 'https://example.com/a', headers: { Authorization: 'Bearer header-secret-one' } }, { token: writer });
    endpointId = created.body.id;
    secrets.push(created.body.secret, 'header-secret-one', 'header-secret-two');
    await gw.request('PATCH', `/v1/webhooks/${endpointId}`, { url: 'https://example.com/b', headers: { Authorization: 'Bearer header-secret-two' } }, { token: writer });
    secrets.push((await gw.request('POST', `/v1/webhooks/${endpointId}/rotate-secret`, undefined, { token: writer })).body.secret);
    await gw.request('POST', `/v1/webhooks/${endpointId}/disable`, undefined, { token: writer });
    await gw.request('POST', `/v1/webhooks/${endpointId}/enable`, undefined, { token: writer });
    await gw.request('DELETE', `/v1/webhooks/${endpointId}`, undefined, { token: writer });
    const client = await gw.request('POST', '/v1/clients', { name: 'svc', scopes: ['webhooks:read'], tenant: 'acme' }, { token: gw.adminToken() });
    const key = await gw.request('POST', '/v1/api-keys', { tenant: 'acme' }, { token: gw.adminToken() });
    secrets.push(client.body.clientSecret, key.body.key);
  });

  const audit = async (query = ''): Promise<AuditEvent[]> => {
    const res = await gw.request('GET', `/v1/audit-events${query}`, undefined, { token: auditor });
    expect(res.status).toBe(200);
    return res.body.data;
  };

  it('records actor, tenant, action and target for each endpoint change', async () => {
    const events = await audit(`?target=${endpointId}`);
    expect(events.map((e) => e.action).sort()).toEqual(
      ['endpoint.created', 'endpoint.updated', 'endpoint.secret_rotated', 'endpoint.disabled', 'endpoint.enabled', 'endpoint.deleted'].sort(),
    );
    for (const e of events) expect(e).toMatchObject({ actor: 'alice', tenant: 'acme', target: endpointId, plugin: null, at: expect.any(String) });
  });

  it('records the names of the changed fields, not their values', async () => {
    const [updated] = await audit(`?target=${endpointId}&action=endpoint.updated`);
    expect(updated.changes?.fields?.sort()).toEqual(['headers', 'url']);
    expect(JSON.stringify(updated)).not.toContain('example.com/b');
    const [created] = await audit(`?target=${endpointId}&action=endpoint.created`);
    expect(created.changes?.fields).toEqual(expect.arrayContaining(['url', 'headers']));
  });

  it('records client and API key creation by the admin', async () => {
    const admin = await gw.request('GET', '/v1/audit-events?actor=admin', undefined, { token: gw.adminToken() });
    expect(admin.body.data.map((e: AuditEvent) => e.action).sort()).toEqual(['api_key.created', 'client.created']);
  });

  it('no secret value is stored in the audit table', async () => {
    const rows = JSON.stringify(await rawRows(gw, 'audit_events'));
    expect(rows.length).toBeGreaterThan(100);
    for (const secret of secrets) expect(rows).not.toContain(secret);
  });

  it('filters by action, actor and plugin', async () => {
    expect((await audit('?action=endpoint.deleted')).map((e) => e.target)).toEqual([endpointId]);
    expect((await audit('?actor=alice')).length).toBe(6);
    expect(await audit('?actor=nobody')).toEqual([]);
    expect(await audit('?plugin=caliper')).toEqual([]);
  });

  it('walks with a cursor, newest first, each record once', async () => {
    const all = await audit('?limit=100');
    const walked: AuditEvent[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 20; page++) {
      const res: { body: { data: AuditEvent[]; nextCursor: string | null } } = await gw.request('GET', `/v1/audit-events?limit=3${cursor ? `&cursor=${cursor}` : ''}`, undefined, { token: auditor });
      walked.push(...res.body.data);
      cursor = res.body.nextCursor;
      if (!cursor) break;
    }
    expect(walked.map((e) => e.id)).toEqual(all.map((e) => e.id));
    expect(all.map((e) => e.at)).toEqual([...all.map((e) => e.at)].sort().reverse());
  });

  it("a tenant sees only its own audit records; admin sees all", async () => {
    const other = await gw.request('GET', '/v1/audit-events', undefined, { token: gw.token({ tenant: 'globex', scope: 'audit:read' }) });
    expect(other.body.data).toEqual([]);
    const admin = await gw.request('GET', '/v1/audit-events?limit=100', undefined, { token: gw.adminToken() });
    expect(admin.body.data.length).toBeGreaterThanOrEqual(8);
  });

  it('reading the audit log requires audit:read (403 problem+json)', async () => {
    const res = await gw.request('GET', '/v1/audit-events', undefined, { token: writer });
    expect(res.status).toBe(403);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.detail).toContain('audit:read');
  });
});
