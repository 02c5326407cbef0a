import { randomUUID } from 'node:crypto';
import { useGateway } from '../support/fixture';

/**
 * Throws a corpus of bad inputs at every operation of every surface and checks that each gets an
 * answer below 500, in time. The operations come from the gateway's own OpenAPI document
 * (/docs-json), so a new plugin's routes are fuzzed the day it is added.
 */

type Json = Record<string, any>;

interface Operation {
  method: string;
  path: string;
  op: Json;
}

interface Probe {
  method: string;
  path: string;
  /** The statuses the operation documents. */
  documented: string[];
  what: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

/** A request that takes longer than this counts as a hang. */
const REQUEST_TIMEOUT_MS = 10_000;
const CONCURRENCY = 8;
const ORG = randomUUID();

const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
const JSON_TYPE = { 'content-type': 'application/json' };

/** Whole bodies: invalid JSON, wrong shapes, nesting at and past the cap, oversized, bad bytes. */
const BODIES: [string, string | Buffer][] = [
  ['empty', ''],
  ['invalid JSON', '{"a": '],
  ['null', 'null'],
  ['array', '[]'],
  ['array of objects', '[{}, {}]'],
  ['string', '"text"'],
  ['number', '-1e309'],
  ['empty object', '{}'],
  ['proto pollution', '{"__proto__": {"admin": true}, "constructor": {"prototype": {}}}'],
  ['nesting past the cap', nested(5000)],
  ['nesting just under the cap', `{"a": ${nested(990)}}`],
  ['a string of 900 KiB', JSON.stringify({ a: 'x'.repeat(900 * 1024) })],
  ['over the body limit', JSON.stringify({ a: 'x'.repeat(1100 * 1024) })],
  ['invalid UTF-8', Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d])],
  ['lone surrogate escape', '{"a": "\\ud800"}'],
];

/** Values put in each documented body field in turn. */
const FIELD_VALUES: [string, unknown][] = [
  ['null', null],
  ['object', { a: { b: [1, 2, 3] } }],
  ['array of nulls', [null, null]],
  ['number', -99999999999999999999],
  ['long string', 'ü'.repeat(20_000)],
  ['deep nesting', JSON.parse(nested(900))],
  ['control characters', 'a\r\nb\u0000c'],
];

const CONTENT_TYPES = [
  'application/x-www-form-urlencoded',
  'text/plain',
  'application/xml',
  'multipart/form-data; boundary=x',
  'application/json; charset=latin1',
  'application/json; charset=utf-16',
  'application/jsonx',
];

/** Path ids: overlong, unicode, traversal, broken %-escapes, injection-looking text. */
const BAD_IDS = ['a'.repeat(3000), '%E2%9C%93%F0%9F%92%A9', '..%2F..%2Fetc%2Fpasswd', '..', '%25zz', '%zz', '%', "x'%20OR%20'1'%3D'1", '00000000-0000-0000-0000-000000000000', 'whe_', '-1', '%00'];

const UNKNOWN_ID = '00000000-0000-0000-0000-000000000000';

const QUERIES = [
  'limit=-1',
  'limit=0',
  'limit=99999999999999999999999',
  'limit=1e3',
  'limit=abc',
  'limit=1&limit=2',
  'cursor=garbage',
  'cursor=%zz',
  `cursor=${Buffer.from('{"t":"x","i":1}').toString('base64url')}`,
  `cursor=${'A'.repeat(5000)}`,
  'cursor=a&cursor=b',
  '%zz=%zz',
];

const BAD_CREDENTIALS: [string, Record<string, string>][] = [
  ['garbage bearer', { authorization: 'Bearer garbage' }],
  ['bearer with trailing text', { authorization: 'Bearer a.b.c extra' }],
  ['empty bearer', { authorization: 'Bearer ' }],
  ['unknown scheme', { authorization: 'Negotiate abc' }],
  ['basic with a broken %-escape', { authorization: `Basic ${Buffer.from('%zz:%E0%A4%A').toString('base64')}` }],
  ['basic without a colon', { authorization: `Basic ${Buffer.from('nocolon').toString('base64')}` }],
  ['basic that is not base64', { authorization: 'Basic !!!***' }],
  ['garbage API key', { 'x-api-key': 'garbage' }],
  ['overlong API key', { 'x-api-key': 'k'.repeat(4000) }],
  // fetch sends only Latin-1 header values.
  ['non-ASCII API key', { 'x-api-key': 'clé\u00ff' }],
];

describe('fuzz: no bad input is answered 5xx or left hanging, on any route of any surface', () => {
  // Rate limits would answer most probes 429 before they reach the code under test.
  const gw = useGateway({ env: { API_RATE_LIMIT_PER_MINUTE: '100000', GENERIC_RATE_LIMIT_PER_MINUTE: '100000' } });
  let doc: Json;
  let bearer: string;
  let apiKey: string;
  /** Ids of objects that exist, by the collection that made them, so probes also get past the lookups. */
  const realIds = new Map<string, string[]>();
  const collectionOf = (path: string) => path.split('{')[0].replace(/\/$/, '');
  /** The objects of the longest collection `path` lies in (e.g. /v1/webhooks for /v1/webhooks/{id}/test). */
  const idsOf = (path: string): string[] => {
    const head = collectionOf(path);
    const owner = [...realIds.keys()].filter((c) => head.startsWith(c)).sort((a, b) => b.length - a.length)[0];
    return owner ? realIds.get(owner)! : [];
  };

  beforeAll(async () => {
    doc = (await gw.request('GET', '/docs-json')).body;
    const scopes = Object.keys(doc.components.securitySchemes.oauth2.flows.clientCredentials.scopes).join(' ');
    bearer = gw.token({ scope: scopes, tenant: 'fuzz', org_roles: { [ORG]: 'OWNER' } });
    apiKey = (await gw.request('POST', '/v1/api-keys', { tenant: 'fuzz', name: 'fuzz' }, { token: gw.adminToken() })).body.key;
    await createFromExamples();
  }, 60_000);

  const operations = (): Operation[] =>
    Object.entries(doc.paths as Json).flatMap(([path, ops]) => Object.entries(ops as Json).map(([method, op]) => ({ method: method.toUpperCase(), path, op })));

  const credentialsFor = (op: Json): Record<string, string> => {
    const schemes = (op.security ?? []).flatMap((s: Json) => Object.keys(s));
    return schemes.includes('apiKey') ? { 'x-api-key': apiKey } : schemes.length ? { authorization: `Bearer ${bearer}` } : {};
  };

  const resolve = (schema: Json | undefined): Json | undefined => {
    const ref = schema?.$ref as string | undefined;
    return ref ? doc.components.schemas[ref.split('/').pop()!] : schema;
  };
  const bodySchema = (op: Json) => resolve(op.requestBody?.content?.['application/json']?.schema);
  const exampleOf = (schema: Json | undefined): Json =>
    schema?.example ?? Object.fromEntries(Object.entries((schema?.properties ?? {}) as Json).map(([k, v]) => [k, resolve(v)?.example]).filter(([, v]) => v !== undefined));

  const fill = (path: string, id: string) => path.replace(/\{organizationId\}/g, ORG).replace(/\{[^}]+\}/g, id);

  /** Creates one object per creating operation from the document's examples, and keeps their ids. */
  async function createFromExamples(): Promise<void> {
    for (const { method, path, op } of operations()) {
      if (method !== 'POST' || !bodySchema(op) || /\{(?!organizationId)/.test(path) || path.startsWith('/oauth2')) continue;
      const example = exampleOf(bodySchema(op));
      const required = Object.fromEntries(Object.entries(example).filter(([k]) => (bodySchema(op)?.required ?? []).includes(k)));
      // The full example may combine fields that do not go together; the required ones alone usually do.
      for (const body of [example, required]) {
        const res = await gw.request(method, fill(path, ''), body, { headers: credentialsFor(op) });
        if (res.status < 300) {
          collectIds(res.body, collectionOf(path));
          break;
        }
      }
    }
  }

  function collectIds(value: unknown, collection: string): void {
    if (Array.isArray(value)) value.forEach((v) => collectIds(v, collection));
    else if (value && typeof value === 'object') {
      for (const [key, v] of Object.entries(value)) {
        if (key === 'id' && typeof v === 'string') realIds.set(collection, [...(realIds.get(collection) ?? []), encodeURIComponent(v)]);
        else collectIds(v, collection);
      }
    }
  }

  function probesFor({ method, path, op }: Operation): Probe[] {
    const auth = credentialsFor(op);
    const hasParams = /\{/.test(path.replace('{organizationId}', ''));
    // Deleting the objects that exist would leave the other probes nothing to reach.
    const existing = method === 'DELETE' ? [] : idsOf(path);
    const ids = hasParams ? [...BAD_IDS, ...existing] : ['-'];
    const schema = bodySchema(op);
    const example = exampleOf(schema);
    const takesBody = method !== 'GET' && method !== 'DELETE';
    const probes: Probe[] = [];
    const add = (what: string, id: string, init: { headers?: Record<string, string>; body?: string | Buffer; query?: string } = {}) =>
      probes.push({ method, path: fill(path, id) + (init.query ? `?${init.query}` : ''), documented: Object.keys(op.responses ?? {}), what, headers: { ...auth, ...init.headers }, body: init.body });

    for (const id of ids) add(`id ${id.slice(0, 40)}`, id, takesBody ? { headers: JSON_TYPE, body: JSON.stringify(example) } : {});
    // Everything else runs against one existing object (when there is one), so it gets past lookups.
    const target = hasParams ? (existing[0] ?? UNKNOWN_ID) : '-';
    if (method === 'GET') for (const query of QUERIES) add(`query ${query.slice(0, 40)}`, target, { query });
    for (const [what, headers] of BAD_CREDENTIALS) add(`credentials: ${what}`, target, { headers: { ...headers, ...(takesBody ? JSON_TYPE : {}) }, body: takesBody ? '{}' : undefined });
    if (!takesBody) return probes;
    for (const [what, body] of BODIES) add(`body: ${what}`, target, { headers: JSON_TYPE, body });
    for (const type of CONTENT_TYPES) add(`content-type ${type}`, target, { headers: { 'content-type': type }, body: type.includes('json') ? JSON.stringify(example) : 'a=1&b=2' });
    add('no content-type', target, { body: JSON.stringify(example) });
    for (const field of Object.keys(schema?.properties ?? {})) {
      for (const [what, value] of FIELD_VALUES) add(`field ${field} = ${what}`, target, { headers: JSON_TYPE, body: JSON.stringify({ ...example, [field]: value }) });
    }
    return probes;
  }

  async function send(probe: Probe): Promise<{ failure?: string; undocumented?: string }> {
    try {
      const res = await fetch(gw.url + probe.path, { method: probe.method, headers: probe.headers, body: probe.body, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
      await res.arrayBuffer();
      if (res.status >= 500) return { failure: `${res.status}` };
      return probe.documented.includes(`${res.status}`) ? {} : { undocumented: `${res.status}` };
    } catch (err) {
      return { failure: `no answer (${(err as Error).name})` };
    }
  }

  it("answers every probe with a status below 500 that the operation's documented responses list", async () => {
    const probes = operations().flatMap(probesFor);
    expect(probes.length).toBeGreaterThan(1000);
    const failures: string[] = [];
    const undocumented: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < probes.length) {
        const probe = probes[next++];
        const { failure, undocumented: status } = await send(probe);
        if (failure) failures.push(`${probe.method} ${probe.path.slice(0, 80)} [${probe.what}] → ${failure}`);
        if (status) undocumented.push(`${probe.method} ${probe.path.slice(0, 80)} [${probe.what}] → ${status}`);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    expect(failures).toEqual([]);
    expect(undocumented).toEqual([]);
  }, 120_000);
});
