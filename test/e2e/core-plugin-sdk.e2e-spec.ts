import { Module, Type } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebhookPlugin } from '../../src/sdk';
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

@WebhookPlugin({ ...ECHO_METADATA, key: 'other', routePrefix: 'other', eventTypes: [{ type: 'other.thing', description: 'x' }] })
@Module({})
class OtherPlugin {}

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

  it('a route without @Access stops start-up (deny by default)', async () => {
    expect(await startupError([UnguardedPlugin])).toMatch(/Routes without an @Access declaration.*UnguardedController\.peek/);
  });
});

describe('plugin SDK: a fixture plugin on the real gateway', () => {
  const gw = useGateway({ plugins: [EchoPlugin, OtherPlugin], env: { PLUGINS: 'echo' } });

  it('PLUGINS=echo enables only echo', async () => {
    const plugins = await gw.request('GET', '/v1/plugins', undefined, { token: gw.adminToken() });
    expect(plugins.body.data.map((p: { key: string }) => p.key)).toEqual(['echo']);
    const types = await gw.request('GET', '/v1/event-types', undefined, { token: gw.adminToken() });
    expect(types.body.data.map((t: { type: string }) => t.type).sort()).toEqual(['echo.heard', 'echo.said']);
  });

  it('creates an endpoint through EndpointsService and reads it back under its scope', async () => {
    const token = gw.token({ scope: 'webhooks:write echo:read', tenant: 'acme' });
    const created = await gw.request('POST', '/echo/hooks', { url: 'https://example.com/echo', eventTypes: ['echo.said'] }, { token });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ hookId: expect.any(String), target: 'https://example.com/echo', events: ['echo.said'] });
    const read = await gw.request('GET', `/echo/hooks/${created.body.hookId}`, undefined, { token });
    expect(read.status).toBe(200);
    const unified = await gw.request('GET', `/v1/webhooks/${created.body.hookId}`, undefined, { token: gw.token({ scope: 'webhooks:read', tenant: 'acme' }) });
    expect(unified.body).toMatchObject({ plugin: 'echo', tenant: 'acme' });
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

  it('the disabled plugin serves nothing', async () => {
    const res = await gw.request('GET', '/other/hooks/x', undefined, { token: gw.adminToken() });
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });
});
