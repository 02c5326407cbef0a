import { PluginRegistry } from '../../src/plugins-host/plugin-registry';
import { Type } from '@nestjs/common';
import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { randomUUID } from 'node:crypto';
import { PLUGIN_MODULES } from '../../plugins';
import { buildDocuments, OpenApiDocuments } from '../../src/openapi/document';
import { ConflictError } from '../../src/sdk';
import { pluginMetadataOf, WebhookPluginMetadata } from '../../src/sdk/plugin';
import { EchoPlugin } from '../fixtures/echo-plugin';
import { Webhook } from 'standardwebhooks';
import { useGateway, useReceiver } from '../support/fixture';
import { eventually, HttpResult } from '../support/gateway';

/**
 * The contract every provider plugin passes unchanged: its OpenAPI surface is complete, every
 * route is guarded, its errors have the shape it declares, and its sample event is delivered
 * with a signature that verifies. Nothing here names a plugin.
 */
const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;
const WITH_BODY = new Set(['put', 'post', 'patch']);

interface Operation {
  method: (typeof METHODS)[number];
  path: string;
  op: { operationId?: string; summary?: string; tags?: string[]; security?: Record<string, string[]>[]; responses?: Record<string, unknown> };
}

const routeOf = ({ method, path }: Operation): string => `${method.toUpperCase()} ${path}`;

/** The route answered a status its operation lists among its documented responses. */
function expectDocumented(operation: Operation, res: HttpResult, what: string): void {
  const documented = Object.keys(operation.op.responses ?? {});
  expect({ route: routeOf(operation), what, status: res.status, documented: documented.includes(String(res.status)) }).toEqual({
    route: routeOf(operation),
    what,
    status: res.status,
    documented: true,
  });
}

function operationsOf(doc: OpenApiDocuments['full']): Operation[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    METHODS.filter((m) => (item as Record<string, unknown>)[m]).map((method) => ({ method, path, op: (item as Record<string, Operation['op']>)[method] })),
  );
}

/** An OpenAPI path with every `{param}` filled with a fresh UUID (an id nobody has). */
const concrete = (path: string): string => path.replace(/\{[^}]+\}/g, () => randomUUID());

function expectShape(validate: ValidateFunction, res: HttpResult, what: string): void {
  if (!validate(res.body)) {
    throw new Error(`${what}: status ${res.status}, body ${res.text} does not match the declared errors.schema (${new Ajv().errorsText(validate.errors)})`);
  }
}

function describePluginContract(title: string, modules: Type[]): void {
  const declared = modules.map((m) => pluginMetadataOf(m)).filter((m): m is WebhookPluginMetadata => !!m);

  describe(title, () => {
    const gw = useGateway({ plugins: modules });
    let docs: OpenApiDocuments;
    let apiKey: string;
    const receiver = useReceiver();
    beforeAll(async () => {
      docs = buildDocuments(gw.app);
      apiKey = (await gw.request('POST', '/v1/api-keys', { tenant: 'contract', name: 'contract suite' }, { token: gw.adminToken() })).body.key;
    });

    it('the gateway boots with every registered plugin enabled', async () => {
      const res = await gw.request('GET', '/v1/plugins', undefined, { token: gw.adminToken() });
      expect(res.status).toBe(200);
      expect(res.body.data.map((p: { key: string }) => p.key).sort()).toEqual(declared.map((m) => m.key).sort());
    });

    if (!declared.length) return;

    describe.each(declared.map((m) => [m.key, m] as const))('plugin %s', (key, metadata) => {
      const ajv = addFormats(new Ajv({ strict: false, allErrors: true }));
      const validateError = ajv.compile(metadata.errors.schema);
      const ops = (): Operation[] => operationsOf(docs.plugins[key]);
      const admin = () => ({ token: gw.adminToken(), headers: { 'x-api-key': apiKey } });

      it('documents at least one operation, every one under its routePrefix', () => {
        expect(ops().length).toBeGreaterThan(0);
        for (const { path } of ops()) expect(path.startsWith(`/${metadata.routePrefix}/`) || path === `/${metadata.routePrefix}`).toBe(true);
      });

      it('every operation has an operationId, a summary, tags and non-empty security', () => {
        const incomplete = ops()
          .filter(({ op }) => !op.operationId || !op.summary || !op.tags?.length || !op.security?.length || op.security.every((s) => !Object.keys(s).length))
          .map(({ method, path }) => `${method.toUpperCase()} ${path}`);
        expect(incomplete).toEqual([]);
      });

      it('operationIds are unique across the whole gateway', () => {
        const ids = operationsOf(docs.full).map(({ op }) => op.operationId);
        expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
      });

      it("its error schema is published in the OpenAPI components", () => {
        const schemas = docs.plugins[key].components?.schemas ?? {};
        expect(Object.values(schemas)).toContainEqual(metadata.errors.schema);
      });

      it('every route answers 401 without credentials, in the declared error shape', async () => {
        for (const operation of ops()) {
          const { method, path } = operation;
          const res = await gw.request(method.toUpperCase(), concrete(path), WITH_BODY.has(method) ? {} : undefined);
          expect({ route: `${method.toUpperCase()} ${path}`, status: res.status }).toEqual({ route: `${method.toUpperCase()} ${path}`, status: 401 });
          expectShape(validateError, res, `${method.toUpperCase()} ${path} without credentials`);
          expectDocumented(operation, res, 'without credentials');
        }
      });

      it('an unknown id under its prefix is an error in the declared shape', async () => {
        const itemRoutes = ops().filter(({ path, method }) => /\}$/.test(path) && method !== 'post');
        for (const operation of itemRoutes) {
          const { method, path } = operation;
          const res = await gw.request(method.toUpperCase(), concrete(path), WITH_BODY.has(method) ? {} : undefined, admin());
          expect({ route: `${method.toUpperCase()} ${path}`, clientError: res.status >= 400 && res.status < 500 }).toEqual({ route: `${method.toUpperCase()} ${path}`, clientError: true });
          expectShape(validateError, res, `${method.toUpperCase()} ${path} with an unknown id`);
          expectDocumented(operation, res, 'an unknown id');
        }
        const nowhere = await gw.request('GET', `/${metadata.routePrefix}/${randomUUID()}/no-such-route`, undefined, admin());
        expect(nowhere.status).toBe(404);
        expectShape(validateError, nowhere, 'an unknown route under the prefix');
      });

      it('every route answers a caller without rights, a malformed body and a body of another type with an error it documents, in the declared shape', async () => {
        const rightless = { token: gw.token({ tenant: randomUUID(), scope: '' }) };
        for (const operation of ops()) {
          const { method, path } = operation;
          const route = concrete(path);
          const probes: [string, HttpResult][] = [['a token without scopes or roles', await gw.request(method.toUpperCase(), route, WITH_BODY.has(method) ? {} : undefined, rightless)]];
          if (WITH_BODY.has(method)) {
            probes.push(['malformed JSON', await gw.request(method.toUpperCase(), route, undefined, { ...admin(), headers: { ...admin().headers, 'content-type': 'application/json' }, raw: '{"a": ' })]);
            probes.push(['a text/plain body', await gw.request(method.toUpperCase(), route, undefined, { ...admin(), headers: { ...admin().headers, 'content-type': 'text/plain' }, raw: 'a=1' })]);
          }
          for (const [what, res] of probes) {
            expect({ route: routeOf(operation), what, clientError: res.status >= 400 && res.status < 500 }).toEqual({ route: routeOf(operation), what, clientError: true });
            expectShape(validateError, res, `${routeOf(operation)} with ${what}`);
            expectDocumented(operation, res, what);
          }
        }
      });

      it('every list route without path parameters answers an admin with a success it documents', async () => {
        for (const operation of ops().filter(({ method, path }) => method === 'get' && !path.includes('{'))) {
          const res = await gw.request('GET', operation.path, undefined, admin());
          expect({ route: routeOf(operation), success: res.status >= 200 && res.status < 300 }).toEqual({ route: routeOf(operation), success: true });
          expectDocumented(operation, res, 'an admin listing');
        }
      });

      it('a principal past its request limit gets a 429 its routes document, in the declared shape', async () => {
        const limit = metadata.rateLimitPerMinute?.(gw.app.get(PluginRegistry).settingsOf(metadata.key)) ?? gw.config.API_RATE_LIMIT_PER_MINUTE;
        if (!limit) return;
        // A principal of its own, so no other test's budget is spent.
        const key = (await gw.request('POST', '/v1/api-keys', { tenant: randomUUID(), name: 'rate limit' }, { token: gw.adminToken() })).body.key;
        const own = { token: gw.token({ sub: randomUUID(), scope: 'admin' }), headers: { 'x-api-key': key } };
        const [operation] = ops();
        let res: HttpResult | undefined;
        for (let sent = 0; sent <= limit && res?.status !== 429; sent++) {
          res = await gw.request(operation.method.toUpperCase(), concrete(operation.path), WITH_BODY.has(operation.method) ? {} : undefined, own);
        }
        expect(res!.status).toBe(429);
        expectShape(validateError, res!, `${routeOf(operation)} past the request limit`);
        for (const each of ops()) expect({ route: routeOf(each), limited: Object.keys(each.op.responses ?? {}).includes('429') }).toEqual({ route: routeOf(each), limited: true });
      });

      it('its sample event is delivered to an endpoint of the plugin, signed verifiably', async () => {
        const tenant = randomUUID();
        const token = gw.token({ tenant, scope: 'webhooks:write events:publish deliveries:read' });
        const sample = metadata.sampleEvent(tenant);
        const endpoint = await gw.request('POST', '/v1/webhooks', { url: receiver.url, plugin: key, eventTypes: [sample.type] }, { token });
        expect(endpoint.status).toBe(201);
        const published = await gw.request('POST', '/v1/events', { plugin: key, ...sample }, { token });
        expect({ status: published.status, deliveries: published.body.deliveries }).toEqual({ status: 202, deliveries: 1 });
        const [delivery] = (await gw.request('GET', `/v1/deliveries?eventId=${published.body.id}`, undefined, { token })).body.data;
        const got = await eventually(async () => receiver.received.find((r) => r.headers['webhook-id'] === delivery.id));
        expect(() => JSON.parse(got.body)).not.toThrow();
        expect(() => new Webhook(endpoint.body.secret).verify(got.body, got.headers as Record<string, string>)).not.toThrow();
      });

      // A plugin without endpoint rules has nothing that /v1 could bypass.
      (metadata.endpointRules ? it : it.skip)('its endpoint rules run on /v1 creates and updates, and their refusal reaches the /v1 caller', async () => {
        const tenant = randomUUID();
        const token = gw.token({ tenant, scope: 'webhooks:write webhooks:read' });
        const rules = jest.spyOn(metadata as Required<WebhookPluginMetadata>, 'endpointRules');
        try {
          const created = await gw.request('POST', '/v1/webhooks', { url: receiver.url, plugin: key }, { token });
          expect(created.status).toBe(201);
          expect(rules).toHaveBeenLastCalledWith(expect.objectContaining({ endpoint: expect.objectContaining({ id: created.body.id, plugin: key, tenant }), previous: undefined }));
          const changed = await gw.request('PATCH', `/v1/webhooks/${created.body.id}`, { description: 'changed through /v1' }, { token });
          expect(changed.status).toBe(200);
          expect(rules).toHaveBeenLastCalledWith(expect.objectContaining({ endpoint: expect.objectContaining({ description: 'changed through /v1' }), previous: expect.objectContaining({ description: null }) }));
          rules.mockImplementation(() => {
            throw new ConflictError('refused by the plugin');
          });
          const refused = await gw.request('POST', '/v1/webhooks', { url: receiver.url, plugin: key }, { token });
          expect({ status: refused.status, type: refused.headers['content-type'], detail: refused.body.detail }).toEqual({ status: 409, type: expect.stringContaining('application/problem+json'), detail: 'refused by the plugin' });
          expect((await gw.request('GET', '/v1/webhooks', undefined, { token })).body.data).toHaveLength(1);
        } finally {
          rules.mockRestore();
        }
      });

      it('every event type it declares is in GET /v1/event-types', async () => {
        const res = await gw.request('GET', '/v1/event-types', undefined, { token: gw.adminToken() });
        expect(res.status).toBe(200);
        const listed = res.body.data.filter((t: { plugin: string }) => t.plugin === key).map((t: { type: string }) => t.type);
        expect(listed.sort()).toEqual(metadata.eventTypes.map((e) => e.type).sort());
      });
    });
  });
}

describePluginContract('contract: every plugin registered in plugins/index.ts', PLUGIN_MODULES);
describePluginContract('contract: the echo fixture plugin', [EchoPlugin]);
