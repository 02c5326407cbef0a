import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { exportOpenApi, openApiJson } from '../../src/openapi/export';
import { useGateway } from '../support/fixture';

const ROOT = resolve(__dirname, '../..');
const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

interface Op {
  operationId?: string;
  summary?: string;
  security?: unknown[];
  parameters?: { in: string; name: string }[];
  'x-public'?: boolean;
}

describe('the committed OpenAPI documents and permission matrix match the code', () => {
  let out: string;
  let generated: Record<string, string>;
  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'hookgate-drift-'));
    await exportOpenApi(join(out, 'openapi'), join(out, 'docs'));
    generated = Object.fromEntries([
      ...readdirSync(join(out, 'openapi')).map((f) => [`openapi/${f}`, readFileSync(join(out, 'openapi', f), 'utf8')]),
      ['docs/permissions.md', readFileSync(join(out, 'docs', 'permissions.md'), 'utf8')],
    ]);
  }, 60000);
  afterAll(() => rmSync(out, { recursive: true, force: true }));
  const gw = useGateway();

  const operations = (): [string, Op][] => {
    const doc = JSON.parse(generated['openapi/openapi.json']);
    return Object.entries(doc.paths as Record<string, Record<string, Op>>).flatMap(([path, item]) =>
      METHODS.filter((m) => item[m]).map((m) => [`${m.toUpperCase()} ${path}`, item[m]] as [string, Op]),
    );
  };

  it('openapi/ and docs/permissions.md are up to date (else: run npm run openapi)', () => {
    const committedSpecs = existsSync(join(ROOT, 'openapi')) ? readdirSync(join(ROOT, 'openapi')).filter((f) => f.endsWith('.json')).map((f) => `openapi/${f}`) : [];
    const expectedFiles = Object.keys(generated).sort();
    const stale = [...new Set([...committedSpecs, ...expectedFiles])].filter((file) => {
      const committed = join(ROOT, file);
      return !existsSync(committed) || generated[file] === undefined || readFileSync(committed, 'utf8') !== generated[file];
    });
    if (stale.length) throw new Error(`Generated API docs drifted from the code (${stale.join(', ')}): run npm run openapi and commit the result`);
  });

  it('/docs-json serves exactly the generated openapi.json', async () => {
    const res = await gw.request('GET', '/docs-json');
    expect(res.status).toBe(200);
    expect(openApiJson(res.body)).toBe(generated['openapi/openapi.json']);
  });

  it('every operation has a summary, an operationId and a security declaration', () => {
    const incomplete = operations()
      .filter(([, op]) => !op.summary || !op.operationId || !Array.isArray(op.security))
      .map(([name]) => name);
    expect(incomplete).toEqual([]);
  });

  it('only the declared public routes have security: [] (/health, /health/live, /health/ready, /metrics, /oauth2/token)', () => {
    const open = operations().filter(([, op]) => op.security?.length === 0);
    expect(open.filter(([, op]) => !op['x-public']).map(([name]) => name)).toEqual([]);
    const core = open.map(([name]) => name).filter((name) => /^\w+ \/(v1\/|health|metrics$|oauth2\/)/.test(name));
    expect(core.sort()).toEqual(['GET /health', 'GET /health/live', 'GET /health/ready', 'GET /metrics', 'POST /oauth2/token']);
  });

  it('GET /v1/deliveries declares the query parameters endpointId, eventId and status', () => {
    const [, list] = operations().find(([name]) => name === 'GET /v1/deliveries')!;
    const query = (list.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
    expect(query).toEqual(expect.arrayContaining(['endpointId', 'eventId', 'status', 'limit', 'cursor']));
  });
});
