import { Module, Type } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDocuments } from '../../src/openapi/document';
import { ConflictError, NotFoundError, PluginEvents, PluginRecords, Principal, WebhookPlugin } from '../../src/sdk';
import { PluginRecordsService } from '../../src/plugin-records/plugin-records.service';
import { EchoPlugin, ECHO_METADATA } from '../fixtures/echo-plugin';
import { UnguardedPlugin } from '../fixtures/unguarded-plugin';
import { useGateway } from '../support/fixture';
import { startGateway } from '../support/gateway';

@WebhookPlugin(ECHO_METADATA)
@Module({})
class EchoTwinPlugin {}

@Module({})
class UndeclaredPlugin {}

@WebhookPlugin({ ...ECHO_METADATA, key: 'silent', routePrefix: 'silent', eventTypes: [] })
@Module({})
class SilentPlugin {}

@WebhookPlugin({ ...ECHO_METADATA, key: 'other', routePrefix: 'other', config: undefined, eventTypes: [{ type: 'other.thing', description: 'x' }] })
@Module({})
class OtherPlugin {}

@WebhookPlugin({ ...ECHO_METADATA, key: 'greedy', routePrefix: 'greedy', config: { PORT: { type: 'int', default: 1, description: 'x' } } })
@Module({})
class GreedyPlugin {}

/**
 * The error a start-up fails with. These checks do not depend on the database, so they run on a
 * scratch SQLite file whatever TEST_DATABASE says (a failed boot cannot be closed cleanly).
 */
async function startupError(plugins: Type[], env: Record<string, string> = {}): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'hookgate-sdk-'));
  try {
    const gw = await startGateway({ plugins, env, databaseUrl: `sqlite://${join(dir, 'db.sqlite')}` });
    await gw.close();
    return 'start-up succeeded';
  } catch (err) {
    return (err as Error).message;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('plugin SDK: the registry refuses broken plugins at start-up', () => {
  it('a duplicate key stops start-up naming both classes', async () => {
    expect(await startupError([EchoPlugin, EchoTwinPlugin])).toMatch(/Duplicate plugin key "echo": EchoPlugin and EchoTwinPlugin/);
  });

  it('a module without @WebhookPlugin stops start-up naming the class', async () => {
    expect(await startupError([UndeclaredPlugin])).toMatch(/UndeclaredPlugin: has no @WebhookPlugin/);
  });

  it('a declaration without event types stops start-up', async () => {
    expect(await startupError([SilentPlugin])).toMatch(/SilentPlugin: declares no eventTypes/);
  });

  it('PLUGINS naming an unknown plugin stops start-up', async () => {
    expect(await startupError([EchoPlugin], { PLUGINS: 'nope' })).toMatch(/PLUGINS names unknown plugin\(s\): nope/);
  });

  it('a plugin setting with a bad value stops start-up with the core\'s one-line error', async () => {
    expect(await startupError([EchoPlugin], { ECHO_GREETING: 'x'.repeat(21) })).toBe('Invalid configuration: ECHO_GREETING must be shorter than or equal to 20 characters');
  });

  it('a plugin declaring a variable of the core stops start-up', async () => {
    expect(await startupError([GreedyPlugin])).toMatch(/GreedyPlugin: setting PORT is already declared by the core/);
  });

  it('a route without @Access stops start-up (deny by default)', async () => {
    expect(await startupError([UnguardedPlugin])).toMatch(/Routes without an @Access declaration.*UnguardedController\.peek/);
  });
});

describe('plugin SDK: a fixture plugin on the real gateway', () => {
  const gw = useGateway({ plugins: [EchoPlugin, OtherPlugin], env: { PLUGINS: 'echo', ECHO_GREETING: 'bonjour' } });

  it('PLUGINS=echo enables only echo', async () => {
    const plugins = await gw.request('GET', '/v1/plugins', undefined, { token: gw.adminToken() });
    expect(plugins.body.data.map((p: { key: string }) => p.key)).toEqual(['echo']);
    const types = await gw.request('GET', '/v1/event-types', undefined, { token: gw.adminToken() });
    expect(types.body.data.map((t: { type: string }) => t.type).sort()).toEqual(['echo.heard', 'echo.said']);
  });

  it('creates an endpoint through its bound PluginEndpoints and reads it back under its scope', async () => {
    const token = gw.token({ scope: 'webhooks:write echo:read', tenant: 'acme' });
    const created = await gw.request('POST', '/echo/hooks', { url: 'https://example.com/echo', eventTypes: ['echo.said'] }, { token });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ hookId: expect.any(String), target: 'https://example.com/echo', events: ['echo.said'] });
    const read = await gw.request('GET', `/echo/hooks/${created.body.hookId}`, undefined, { token });
    expect(read.status).toBe(200);
    const unified = await gw.request('GET', `/v1/webhooks/${created.body.hookId}`, undefined, { token: gw.token({ scope: 'webhooks:read', tenant: 'acme' }) });
    expect(unified.body).toMatchObject({ plugin: 'echo', tenant: 'acme' });
    const otherTenant = await gw.request('GET', `/echo/hooks/${created.body.hookId}`, undefined, { token: gw.token({ scope: 'echo:read', tenant: 'globex' }) });
    expect(otherTenant.status).toBe(404);
  });

  it('a body is validated by its schema() declaration: zod issues reach the error shape, unknown keys are stripped', async () => {
    const token = gw.token({ scope: 'webhooks:write echo:read', tenant: 'acme' });
    const wrongType = await gw.request('POST', '/echo/hooks', { url: 5 }, { token });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body).toEqual({ ok: false, reason: 'url: Invalid input: expected string, received number' });
    const extra = await gw.request('POST', '/echo/hooks', { url: 'https://example.com/extra', id: 'mine', createdAt: 'now' }, { token });
    expect(extra.status).toBe(201);
    expect(extra.body.hookId).not.toBe('mine');
  });

  it('reads its own declared setting', async () => {
    const res = await gw.request('GET', '/echo/greeting', undefined, { token: gw.token({ scope: 'echo:read' }) });
    expect(res.body).toEqual({ greeting: 'bonjour' });
  });

  it('@Operation documents bodies and responses under their schema() names, and errors as the plugin words them', () => {
    const echo = buildDocuments(gw.app).plugins.echo;
    expect(Object.keys(echo.components?.schemas ?? {}).sort()).toEqual(['CreateEchoHook', 'EchoGreeting', 'EchoHook', 'Error']);
    const create = echo.paths['/echo/hooks'].post!;
    expect(create.operationId).toBe('echoCreateHook');
    expect(create.requestBody).toMatchObject({ content: { 'application/json': { schema: { $ref: '#/components/schemas/CreateEchoHook' } } } });
    expect(create.responses['201']).toMatchObject({ content: { 'application/json': { schema: { $ref: '#/components/schemas/EchoHook' } } } });
    expect(create.responses['400']).toMatchObject({ content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });
    const get = echo.paths['/echo/hooks/{hookId}'].get!;
    expect(get.responses['404']).toMatchObject({ description: 'No such echo hook', content: { 'application/json': { example: { ok: false, reason: 'Endpoint not found' } } } });
  });

  it('errors under /echo use its declared shape {ok:false, reason}', async () => {
    const noToken = await gw.request('GET', '/echo/hooks/0192f0c4-8a3e-7c1a-9d1e-2b4f6a8c0e12');
    expect(noToken.status).toBe(401);
    expect(noToken.body).toEqual({ ok: false, reason: expect.any(String) });
    const token = gw.token({ scope: 'webhooks:write echo:read' });
    const missing = await gw.request('GET', '/echo/hooks/0192f0c4-8a3e-7c1a-9d1e-2b4f6a8c0e12', undefined, { token });
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ ok: false, reason: expect.any(String) });
    const invalid = await gw.request('POST', '/echo/hooks', { url: 'ftp://example.com' }, { token });
    expect(invalid.status).toBe(400);
    expect(invalid.body).toEqual({ ok: false, reason: expect.stringContaining('url') });
    const wrongScope = await gw.request('GET', '/echo/hooks/x', undefined, { token: gw.token({ scope: 'events:publish' }) });
    expect(wrongScope.status).toBe(403);
    expect(wrongScope.body).toEqual({ ok: false, reason: expect.any(String) });
    const unknownRoute = await gw.request('GET', '/echo/nowhere', undefined, { token });
    expect(unknownRoute.status).toBe(404);
    expect(unknownRoute.body).toEqual({ ok: false, reason: expect.any(String) });
  });

  it("PluginRecords keeps a plugin's own objects: in the caller's tenant, by id or uid, uid unique per tenant and kind, paged, audited", async () => {
    const records = gw.app.get(PluginRecords, { strict: false });
    expect(records.plugin).toBe('echo');
    const caller = (tenant: string, scopes: string[] = []): Principal => ({ kind: 'token', subject: `${tenant}-svc`, tenant, scopes, orgRoles: {}, claims: {} });
    const acme = caller('records-acme');
    const first = await records.create(acme, 'room', { uid: 'lobby', body: { size: 3 } });
    const second = await records.create(acme, 'room', { id: 'room_2', body: { size: 5 } });
    expect(second.id).toBe('room_2');
    expect((await records.get(acme, 'room', 'lobby')).id).toBe(first.id);
    await expect(records.create(acme, 'room', { uid: 'lobby', body: {} })).rejects.toBeInstanceOf(ConflictError);
    // The same uid in another tenant or of another kind is another record.
    await records.create(caller('records-globex'), 'room', { uid: 'lobby', body: {} });
    await records.create(acme, 'hall', { uid: 'lobby', body: {} });
    await expect(records.get(caller('records-globex'), 'room', first.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(new PluginRecords(gw.app.get(PluginRecordsService), 'other').get(acme, 'room', first.id)).rejects.toBeInstanceOf(NotFoundError);

    const page = await records.list(acme, 'room', { limit: 1 });
    expect(page.data.map((r) => r.id)).toEqual(['room_2']);
    expect((await records.list(acme, 'room', { limit: 1, cursor: page.nextCursor! })).data.map((r) => r.id)).toEqual([first.id]);
    expect((await records.list(caller('records-admin', ['admin']), 'room')).data).toHaveLength(3);

    expect((await records.update(acme, 'room', 'lobby', { uid: 'hallway', body: { size: 4 } })).body).toEqual({ size: 4 });
    expect((await records.get(acme, 'room', 'hallway')).id).toBe(first.id);
    await records.remove(acme, 'room', first.id);
    expect(await records.find(acme, 'room', first.id)).toBeNull();
    const audit = await gw.request('GET', `/v1/audit-events?target=${first.id}`, undefined, { token: gw.adminToken() });
    expect(audit.body.data.map((e: { action: string; plugin: string; actor: string }) => [e.action, e.plugin, e.actor]).sort()).toEqual([
      ['room.created', 'echo', 'records-acme-svc'],
      ['room.deleted', 'echo', 'records-acme-svc'],
      ['room.updated', 'echo', 'records-acme-svc'],
    ]);
  });

  it("PluginEvents.list pages the plugin's events in the caller's tenant that its predicate keeps, across the core's read batches", async () => {
    const events = gw.app.get(PluginEvents, { strict: false });
    const caller: Principal = { kind: 'token', subject: 'lister', tenant: 'events-list', scopes: [], orgRoles: {}, claims: {} };
    const published = await events.publishAll(caller, Array.from({ length: 450 }, (_, n) => ({ type: n % 2 ? 'echo.said' : 'echo.heard', data: { n } })));
    await events.publish({ ...caller, tenant: 'events-list-other' }, { type: 'echo.said', data: { n: 0 } });
    const kept: number[] = [];
    let cursor: string | undefined;
    do {
      // 225 echo.heard events, more than one read batch of the core's; one transaction gives them one
      // timestamp, so their order (by id) is not their n.
      const page = await events.list(caller, { limit: 2, cursor, types: ['echo.heard'], matches: (e) => (e.data as { n: number }).n % 200 === 0 });
      expect(page.data.length).toBeLessThanOrEqual(2);
      kept.push(...page.data.map((e) => (e.data as { n: number }).n));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(kept.sort((a, b) => a - b)).toEqual([0, 200, 400]);
    expect((await events.get(caller, published[100].id)).data).toEqual({ n: 100 });
    await expect(events.get({ ...caller, tenant: 'events-list-other' }, published[100].id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('the disabled plugin serves nothing', async () => {
    const res = await gw.request('GET', '/other/hooks/x', undefined, { token: gw.adminToken() });
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });
});
