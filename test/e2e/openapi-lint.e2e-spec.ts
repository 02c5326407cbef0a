import { createConfig, lint } from '@redocly/openapi-core';
import { load } from 'js-yaml';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * What an auditor or a client generator reads: every committed OpenAPI document passes Redocly's
 * `recommended` rules without an error (a `$ref` to nothing is one), and each plugin's document
 * keeps the operationIds and component names of its provider's own spec (the seeds), so a client
 * generated from either has the same methods and types.
 */
type Json = Record<string, any>;

const ROOT = resolve(__dirname, '../..');
const OPENAPI_DIR = join(ROOT, 'openapi');
const SEEDS = join(__dirname, '../fixtures/seeds');

/** Seeds whose OpenAPI names things, the plugin that implements them, and where its routes live. */
const NAMED_SEEDS = [
  { seed: '002_', plugin: 'polyai', routePrefix: '/polyai' },
  { seed: '004_', plugin: 'timbrix', routePrefix: '/timbrix' },
];

const seedDocument = (prefix: string): Json => {
  const text = readFileSync(join(SEEDS, readdirSync(SEEDS).find((f) => f.startsWith(prefix))!), 'utf8');
  return load(/````yaml[^\n]*\n([\s\S]*?)````/.exec(text)![1]) as Json;
};
const committed = (plugin: string): Json => JSON.parse(readFileSync(join(OPENAPI_DIR, `${plugin}.json`), 'utf8'));

/** Every `$ref` under `value`, by its JSON path. */
function refsOf(value: unknown, at = ''): [string, string][] {
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => (k === '$ref' ? [[at, v as string] as [string, string]] : refsOf(v, `${at}/${k}`)));
}

describe('the committed OpenAPI documents', () => {
  const files = readdirSync(OPENAPI_DIR).filter((f) => f.endsWith('.json'));

  it.each(files)("%s passes Redocly's recommended rules without an error", async (file) => {
    const problems = await lint({ ref: join(OPENAPI_DIR, file), config: await createConfig({ extends: ['recommended'] }) });
    const errors = problems.filter((p) => p.severity === 'error').map((p) => `${p.ruleId} at ${p.location[0]?.pointer}: ${p.message}`);
    expect(errors).toEqual([]);
  });

  describe.each(NAMED_SEEDS)("the $plugin document keeps its seed's names", ({ seed, plugin, routePrefix }) => {
    const provider = seedDocument(seed);
    const ours = committed(plugin);

    it("every operation of the seed has the seed's operationId and references the same named components", () => {
      for (const [path, item] of Object.entries(provider.paths as Json)) {
        for (const [method, op] of Object.entries(item as Json)) {
          const mine = ours.paths[routePrefix + path]?.[method];
          expect({ route: `${method} ${path}`, operationId: mine?.operationId }).toEqual({ route: `${method} ${path}`, operationId: op.operationId });
          const refs = (o: Json) => refsOf({ requestBody: o.requestBody, responses: o.responses });
          expect(refs(mine)).toEqual(expect.arrayContaining(refs(op)));
        }
      }
    });

    it("every schema and response the seed names is a component under the same name", () => {
      for (const kind of ['schemas', 'responses']) {
        expect(Object.keys(ours.components[kind] ?? {})).toEqual(expect.arrayContaining(Object.keys(provider.components[kind] ?? {})));
      }
    });
  });

  it('the combined document prefixes a name with the plugin key only where two surfaces define it differently', () => {
    const full = JSON.parse(readFileSync(join(OPENAPI_DIR, 'openapi.json'), 'utf8'));
    const perPlugin = files.filter((f) => f !== 'openapi.json').map((f) => [f.replace(/\.json$/, ''), JSON.parse(readFileSync(join(OPENAPI_DIR, f), 'utf8'))] as [string, Json]);
    for (const [plugin, doc] of perPlugin) {
      for (const name of Object.keys(doc.components.schemas)) {
        const prefixed = `${plugin[0].toUpperCase()}${plugin.slice(1)}${name}`;
        const elsewhere = perPlugin.some(([other, otherDoc]) => other !== plugin && otherDoc.components.schemas[name]) || !!full.components.schemas[name];
        expect({ plugin, name, prefixed: !!full.components.schemas[prefixed] }).toEqual({ plugin, name, prefixed: elsewhere && !!full.components.schemas[prefixed] });
        expect({ plugin, name, published: !!(full.components.schemas[prefixed] ?? full.components.schemas[name]) }).toEqual({ plugin, name, published: true });
      }
    }
    expect(full.components.schemas).toEqual(expect.objectContaining({ PolyaiError: expect.anything(), TimbrixError: expect.anything(), TimbrixCreateWebhookDto: expect.anything(), CreateWebhookDto: expect.anything(), WebhookEndpoint: expect.anything() }));
  });
});
