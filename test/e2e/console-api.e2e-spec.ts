import { useGateway, useReceiver } from '../support/fixture';
import { eventually, Gateway, HttpResult } from '../support/gateway';
import { createEndpoint, publishEvent } from '../support/delivery-api';
import { rawRows } from '../fixtures/raw-db';
import { DataSource } from 'typeorm';
import { AttemptRow } from '../../src/persistence/entities';

/** The /v1 routes the console lists with (cursor both ways, filters, the tenant rules). */
const LISTS = ['/v1/deliveries', '/v1/events', '/v1/audit-events', '/v1/webhooks'];
const READER = 'webhooks:write events:publish deliveries:read deliveries:write audit:read';

interface Listed {
  id: string;
  createdAt?: string;
  at?: string;
  tenant: string;
}
type PageBody = { data: Listed[]; nextCursor: string | null; prevCursor: string | null };

const withQuery = (path: string, query: Record<string, string | number | undefined>): string => {
  const params = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== undefined).map(([k, v]): [string, string] => [k, String(v)]));
  return params.size ? `${path}?${params}` : path;
};

/** Every item of a list, walking nextCursor, with the pages as they came. */
async function walk(gw: Gateway, token: string, path: string, query: Record<string, string | number | undefined> = {}): Promise<{ items: Listed[]; pages: PageBody[] }> {
  const pages: PageBody[] = [];
  let cursor: string | undefined;
  do {
    const res: HttpResult<PageBody> = await gw.request('GET', withQuery(path, { ...query, cursor }), undefined, { token });
    expect({ path, status: res.status }).toEqual({ path, status: 200 });
    pages.push(res.body);
    cursor = res.body.nextCursor ?? undefined;
  } while (cursor && pages.length < 50);
  return { items: pages.flatMap((p) => p.data), pages };
}

describe('console API: lists with both cursors, filters and the tenant rules', () => {
  const gw = useGateway();
  const receiver = useReceiver();
  const alpha = () => gw.token({ tenant: 'alpha', scope: READER });
  const beta = () => gw.token({ tenant: 'beta', scope: READER });
  const endpoints: Record<string, string> = {};
  const events: { id: string; tenant: string; type: string }[] = [];

  beforeAll(async () => {
    endpoints.a1 = (await createEndpoint(gw, alpha(), { url: receiver.url, description: 'a1' })).id;
    endpoints.a2 = (await createEndpoint(gw, alpha(), { url: receiver.url, description: 'a2' })).id;
    endpoints.b1 = (await createEndpoint(gw, beta(), { url: receiver.url, description: 'b1' })).id;
    for (const type of ['order.created', 'order.paid', 'order.created', 'order.paid', 'order.created']) events.push({ id: await publishEvent(gw, alpha(), type, { type }), tenant: 'alpha', type });
    for (const type of ['order.created', 'order.created']) events.push({ id: await publishEvent(gw, beta(), type, { type }), tenant: 'beta', type });
    await receiver.waitFor(12);
    await eventually(async () => (await gw.request('GET', '/v1/deliveries?status=succeeded&limit=100', undefined, { token: gw.adminToken() })).body.data.length === 12);
  });

  it('prevCursor walks back over exactly the pages nextCursor walked, newest first; null at both ends', async () => {
    // Alpha has 10 deliveries, 5 events, 2 endpoints and their 2 audit records: every list spans pages.
    const limits: Record<string, number> = { '/v1/deliveries': 3, '/v1/events': 2, '/v1/audit-events': 1, '/v1/webhooks': 1 };
    for (const path of LISTS) {
      const { items, pages } = await walk(gw, alpha(), path, { limit: limits[path] });
      expect(pages.length).toBeGreaterThan(1);
      expect(pages[0].prevCursor).toBeNull();
      expect(pages[pages.length - 1].nextCursor).toBeNull();
      expect(new Set(items.map((i) => i.id)).size).toBe(items.length);
      const back: string[][] = [pages[pages.length - 1].data.map((i) => i.id)];
      let cursor = pages[pages.length - 1].prevCursor;
      while (cursor) {
        const res: HttpResult<PageBody> = await gw.request('GET', withQuery(path, { limit: limits[path], cursor }), undefined, { token: alpha() });
        expect(res.status).toBe(200);
        back.unshift(res.body.data.map((i) => i.id));
        cursor = res.body.prevCursor;
        // A page reached backwards can go forwards again.
        expect(res.body.nextCursor).not.toBeNull();
      }
      expect({ path, pages: back }).toEqual({ path, pages: pages.map((p) => p.data.map((i) => i.id)) });
    }
  });

  it('a tenant token sees only its tenant, may name it, and gets 403 naming another', async () => {
    for (const path of LISTS) {
      const own = await walk(gw, alpha(), path);
      expect(own.items.length).toBeGreaterThan(0);
      expect(own.items.every((i) => i.tenant === 'alpha')).toBe(true);
      const named = await walk(gw, alpha(), path, { tenant: 'alpha' });
      expect(named.items.map((i) => i.id)).toEqual(own.items.map((i) => i.id));
      const other = await gw.request('GET', withQuery(path, { tenant: 'beta' }), undefined, { token: alpha() });
      expect({ path, status: other.status }).toEqual({ path, status: 403 });
      expect(other.headers['content-type']).toContain('application/problem+json');
      expect(other.text).not.toContain(endpoints.b1);
    }
  });

  it('an admin sees every tenant and narrows with tenant', async () => {
    for (const path of LISTS) {
      const all = await walk(gw, gw.adminToken(), path);
      expect(new Set(all.items.map((i) => i.tenant))).toEqual(new Set(['alpha', 'beta']));
      const onlyBeta = await walk(gw, gw.adminToken(), path, { tenant: 'beta' });
      expect(onlyBeta.items.length).toBeGreaterThan(0);
      expect(onlyBeta.items.map((i) => i.id)).toEqual(all.items.filter((i) => i.tenant === 'beta').map((i) => i.id));
    }
  });

  it('deliveries filter by event type, endpoint, event, plugin and status, and carry eventType and tenant', async () => {
    const paid = (await walk(gw, alpha(), '/v1/deliveries', { eventType: 'order.paid' })).items as unknown as { eventType: string; tenant: string; eventId: string; endpointId: string }[];
    expect(paid).toHaveLength(4);
    expect(paid.every((d) => d.eventType === 'order.paid' && d.tenant === 'alpha')).toBe(true);
    const toA2 = (await walk(gw, alpha(), '/v1/deliveries', { endpointId: endpoints.a2, eventType: 'order.created' })).items as unknown as { endpointId: string }[];
    expect(toA2).toHaveLength(3);
    expect(toA2.every((d) => d.endpointId === endpoints.a2)).toBe(true);
    const ofEvent = (await walk(gw, alpha(), '/v1/deliveries', { eventId: events[0].id })).items as unknown as { eventId: string }[];
    expect(ofEvent.map((d) => d.eventId)).toEqual([events[0].id, events[0].id]);
    expect((await walk(gw, alpha(), '/v1/deliveries', { plugin: 'generic' })).items).toHaveLength(0);
    expect((await walk(gw, alpha(), '/v1/deliveries', { status: 'dead' })).items).toHaveLength(0);
    expect((await walk(gw, alpha(), '/v1/deliveries', { status: 'succeeded' })).items).toHaveLength(10);
  });

  it('since and until bound every list on its creation time, both ends inclusive', async () => {
    for (const path of ['/v1/deliveries', '/v1/events', '/v1/audit-events']) {
      const { items } = await walk(gw, gw.adminToken(), path);
      const times = items.map((i) => Date.parse((i.createdAt ?? i.at)!));
      const since = times[Math.floor(times.length * 0.7)];
      const until = times[Math.floor(times.length * 0.3)];
      const inRange = items.filter((_, n) => times[n] >= since && times[n] <= until).map((i) => i.id);
      expect(inRange.length).toBeGreaterThan(0);
      const ranged = await walk(gw, gw.adminToken(), path, { since: new Date(since).toISOString(), until: new Date(until).toISOString() });
      expect({ path, ids: ranged.items.map((i) => i.id) }).toEqual({ path, ids: inRange });
    }
  });

  it('GET /v1/events lists events without payloads, with their delivery counts, filtered by type', async () => {
    const res = await gw.request('GET', '/v1/events?type=order.paid', undefined, { token: alpha() });
    expect(res.status).toBe(200);
    const paid = events.filter((e) => e.tenant === 'alpha' && e.type === 'order.paid').map((e) => e.id).reverse();
    expect(res.body.data.map((e: { id: string }) => e.id)).toEqual(paid);
    for (const item of res.body.data) {
      expect(Object.keys(item).sort()).toEqual(['createdAt', 'deliveryCount', 'id', 'plugin', 'tenant', 'type']);
      expect(item).toMatchObject({ type: 'order.paid', plugin: null, tenant: 'alpha', deliveryCount: 2 });
    }
    expect((await gw.request('GET', '/v1/events?plugin=timbrix', undefined, { token: alpha() })).body.data).toEqual([]);
  });

  it('audit events filter by time and tenant like the rest', async () => {
    const created = (await walk(gw, gw.adminToken(), '/v1/audit-events', { action: 'endpoint.created', tenant: 'alpha' })).items as unknown as { target: string }[];
    expect(created.map((a) => a.target)).toEqual([endpoints.a2, endpoints.a1]);
  });

  it('a bad query parameter is 400 problem+json naming it, never a 500', async () => {
    const bad: [string, string][] = [
      ['/v1/deliveries?since=yesterday', 'since'],
      ['/v1/deliveries?until=2026-13-01T00:00:00Z', 'until'],
      ['/v1/events?since=2026-W01', 'since'],
      ['/v1/audit-events?until=1700000000', 'until'],
      ['/v1/deliveries?status=lost', 'status'],
      ['/v1/events?limit=0', 'limit'],
      ['/v1/webhooks?tenant=', 'tenant'],
      ['/v1/events?colour=red', 'colour'],
      [`/v1/events?cursor=${Buffer.from('[1,"x",2]').toString('base64url')}`, 'cursor'],
    ];
    for (const [path, field] of bad) {
      const res = await gw.request('GET', path, undefined, { token: alpha() });
      expect({ path, status: res.status }).toEqual({ path, status: 400 });
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(field);
    }
  });

  describe('attempt detail: the request as sent and the response, never a secret in clear', () => {
    const secretsInPlay: string[] = [];
    let core: { endpointId: string; eventId: string };
    let basic: { endpointId?: string; eventId: string };
    const customHeaderValue = 'ck-supersecret-1';
    const queryToken = 'qs-secret-123456';
    const password = 'pw-supersecret-9';

    beforeAll(async () => {
      receiver.respond = () => ({ status: 200, headers: { 'set-cookie': 'sid=receiver-session-77', 'x-trace': 't1', 'content-type': 'text/plain' }, body: 'accepted' });
      const created = await createEndpoint(gw, alpha(), { url: `${receiver.url}?x=1&access_token=${queryToken}`, headers: { 'X-Customer-Key': customHeaderValue }, eventTypes: ['detail.core'] });
      core = { endpointId: created.id, eventId: await publishEvent(gw, alpha(), 'detail.core', { n: 1 }) };
      const hook = await gw.request('POST', '/generic/webhooks', { endpoint: receiver.url, authType: 'basic', userName: 'ann', password }, { token: alpha() });
      expect(hook.status).toBe(201);
      const published = await gw.request('POST', '/v1/events', { type: 'data', plugin: 'generic', data: { n: 2 } }, { token: alpha() });
      expect(published.status).toBe(202);
      // The generic surface answers a message, not the hook: its one delivery names the endpoint.
      basic = { eventId: published.body.id };
      secretsInPlay.push(customHeaderValue, queryToken, password, Buffer.from(`ann:${password}`).toString('base64'), created.secret, 'receiver-session-77');
    });

    /** The delivery's one attempt once it succeeded, and what the receiver got. */
    async function detailOf(target: { endpointId?: string; eventId: string }) {
      const listed = await eventually(async () => {
        const res = await gw.request('GET', withQuery('/v1/deliveries', { eventId: target.eventId, endpointId: target.endpointId, status: 'succeeded' }), undefined, { token: alpha() });
        return res.body.data[0];
      });
      const delivery = (await gw.request('GET', `/v1/deliveries/${listed.id}`, undefined, { token: alpha() })).body;
      const received = receiver.received.find((r) => r.headers['webhook-id'] === listed.id)!;
      return { attempt: delivery.attempts[0], received };
    }

    it('a core endpoint: URL with its query token masked, signature and custom header masked, the exact body, the response with its cookie masked', async () => {
      const { attempt, received } = await detailOf(core);
      expect(attempt.id).toEqual(expect.any(String));
      expect(attempt.request.method).toBe('POST');
      expect(attempt.request.url).toBe(`${receiver.url}?x=1&access_token=****`);
      expect(attempt.request.body).toBe(received.body);
      expect(attempt.request.headers).toMatchObject({ 'webhook-signature': '********', 'x-customer-key': '********', 'webhook-id': received.headers['webhook-id'], 'content-type': 'application/json' });
      expect(received.headers['x-customer-key']).toBe(customHeaderValue);
      expect(attempt.response).toEqual({ statusCode: 200, headers: expect.objectContaining({ 'set-cookie': '********', 'x-trace': 't1' }), body: 'accepted' });
      expect(JSON.stringify(attempt)).not.toContain(String(received.headers['webhook-signature']));
    });

    it('a generic authType basic hook: Authorization masked, the body as sent', async () => {
      const { attempt, received } = await detailOf(basic);
      expect(received.headers.authorization).toBe(`Basic ${Buffer.from(`ann:${password}`).toString('base64')}`);
      expect(attempt.request.headers.authorization).toBe('********');
      expect(attempt.request.url).toBe(receiver.url);
      expect(JSON.parse(attempt.request.body)).toEqual({ n: 2 });
      expect(attempt.request.body).toBe(received.body);
    });

    it('no secret is in the API answer or in the attempts table as stored', async () => {
      await detailOf(core);
      await detailOf(basic);
      const rows = JSON.stringify(await rawRows(gw, 'attempts'));
      const answers = JSON.stringify((await walk(gw, alpha(), '/v1/deliveries')).items) + JSON.stringify(await Promise.all([core, basic].map(async (t) => (await detailOf(t)).attempt)));
      for (const secret of secretsInPlay) {
        expect({ secret, inDb: rows.includes(secret), inApi: answers.includes(secret) }).toEqual({ secret, inDb: false, inApi: false });
      }
      expect(rows).toContain('access_token=****');
    });
  });

  describe('health: per-endpoint 24 h buckets and the front page figures', () => {
    const gamma = () => gw.token({ tenant: 'gamma', scope: READER });
    const HOUR = 3600_000;
    const ids: Record<string, string> = {};
    /** Attempts written as the engine writes them, at known times and durations, so every figure is known. */
    const known: { endpoint: string; agoMs: number; durationMs: number; failed: boolean }[] = [];
    let now: number;

    beforeAll(async () => {
      const unmatched = { url: receiver.url, eventTypes: ['never.published'] };
      ids.g1 = (await createEndpoint(gw, gamma(), unmatched)).id;
      ids.g2 = (await createEndpoint(gw, gamma(), unmatched)).id;
      ids.g3 = (await createEndpoint(gw, gamma(), unmatched)).id;
      ids.d1 = (await createEndpoint(gw, gw.token({ tenant: 'delta', scope: READER }), unmatched)).id;
      [10, 20, 30, 40, 50, 60, 70, 80, 90, 100].forEach((durationMs, i) => known.push({ endpoint: ids.g1, agoMs: 60_000 + i, durationMs, failed: i === 3 || i === 7 }));
      known.push({ endpoint: ids.g1, agoMs: 5 * HOUR, durationMs: 5, failed: false }, { endpoint: ids.g1, agoMs: 5 * HOUR + 1, durationMs: 500, failed: false });
      known.push({ endpoint: ids.g1, agoMs: 25 * HOUR, durationMs: 9999, failed: true });
      for (let i = 0; i < 4; i++) known.push({ endpoint: ids.g2, agoMs: 2 * HOUR + i, durationMs: 1000 + i, failed: i > 0 });
      for (let i = 0; i < 5; i++) known.push({ endpoint: ids.d1, agoMs: 3 * HOUR + i, durationMs: 7, failed: true });
      now = Date.now();
      await gw.app
        .get(DataSource)
        .createQueryBuilder()
        .insert()
        .into(AttemptRow)
        .values(known.map((k, i) => ({ id: `known-${i}`, deliveryId: `known-delivery-${i}`, endpointId: k.endpoint, startedAt: now - k.agoMs, durationMs: k.durationMs, statusCode: k.failed ? 500 : 200, responseBody: null, error: k.failed ? 'HTTP 500' : null })))
        .execute();
    });

    it("an endpoint's totals, nearest-rank latency percentiles and hourly buckets match the attempts it had", async () => {
      const res = await gw.request('GET', `/v1/webhooks/${ids.g1}/stats`, undefined, { token: gamma() });
      expect(res.status).toBe(200);
      const since = Date.parse(res.body.since);
      expect(since % HOUR).toBe(0);
      expect(res.body).toMatchObject({ endpointId: ids.g1, window: '24h', enabled: true, disabledReason: null });
      expect(res.body.totals).toEqual({ attempts: 12, succeeded: 10, failed: 2, successRate: 10 / 12, p50LatencyMs: 50, p95LatencyMs: 500 });
      expect(res.body.buckets).toHaveLength(24);
      expect(res.body.buckets.map((b: { start: string }) => Date.parse(b.start))).toEqual(Array.from({ length: 24 }, (_, i) => since + i * HOUR));
      const recent = Math.floor((now - 60_000 - since) / HOUR);
      const earlier = Math.floor((now - 5 * HOUR - 1 - since) / HOUR);
      const expected = Array.from({ length: 24 }, () => ({ attempts: 0, succeeded: 0, failed: 0, p95LatencyMs: null as number | null }));
      expected[recent] = { attempts: 10, succeeded: 8, failed: 2, p95LatencyMs: 100 };
      expected[earlier] = { attempts: 2, succeeded: 2, failed: 0, p95LatencyMs: 500 };
      expect(res.body.buckets.map(({ start, ...figures }: { start: string }) => figures)).toEqual(expected);
    });

    it('an endpoint without attempts has empty figures; another tenant\'s endpoint is 404', async () => {
      const empty = await gw.request('GET', `/v1/webhooks/${ids.g3}/stats`, undefined, { token: gamma() });
      expect(empty.body.totals).toEqual({ attempts: 0, succeeded: 0, failed: 0, successRate: null, p50LatencyMs: null, p95LatencyMs: null });
      expect(empty.body.buckets.every((b: { attempts: number; p95LatencyMs: null }) => b.attempts === 0 && b.p95LatencyMs === null)).toBe(true);
      expect((await gw.request('GET', `/v1/webhooks/${ids.d1}/stats`, undefined, { token: gamma() })).status).toBe(404);
      expect((await gw.request('GET', `/v1/webhooks/${ids.g1}/stats?tenant=delta`, undefined, { token: gamma() })).status).toBe(403);
    });

    it('the front page ranks endpoints by failed attempts over 24 h, within the tenant rules', async () => {
      const failing = async (token: string, tenant?: string) => {
        const res = await gw.request('GET', withQuery('/v1/stats', { tenant }), undefined, { token });
        expect(res.status).toBe(200);
        return res.body.failingEndpoints.map((f: { endpointId: string; failedAttempts24h: number; attempts24h: number; successRate: number }) => [f.endpointId, f.failedAttempts24h, f.attempts24h, f.successRate]);
      };
      const g2 = [ids.g2, 3, 4, 0.25];
      const g1 = [ids.g1, 2, 12, 10 / 12];
      const d1 = [ids.d1, 5, 5, 0];
      expect(await failing(gamma())).toEqual([g2, g1]);
      expect(await failing(gw.adminToken())).toEqual([d1, g2, g1]);
      expect(await failing(gw.adminToken(), 'delta')).toEqual([d1]);
      const first = (await gw.request('GET', '/v1/stats', undefined, { token: gamma() })).body.failingEndpoints[0];
      expect(first).toEqual({ endpointId: ids.g2, url: receiver.url, tenant: 'gamma', plugin: null, failedAttempts24h: 3, attempts24h: 4, successRate: 0.25 });
      expect((await gw.request('GET', '/v1/stats?tenant=delta', undefined, { token: gamma() })).status).toBe(403);
    });

    it('deliveries by status are the counts the deliveries list gives', async () => {
      for (const [token, tenant] of [[alpha(), undefined], [gw.adminToken(), undefined], [gw.adminToken(), 'beta']] as const) {
        const { items } = await walk(gw, token, '/v1/deliveries', { tenant, limit: 100 });
        const counts = { pending: 0, held: 0, succeeded: 0, failed: 0, dead: 0 } as Record<string, number>;
        for (const d of items as unknown as { status: string }[]) counts[d.status]++;
        const res = await gw.request('GET', withQuery('/v1/stats', { tenant }), undefined, { token });
        expect(res.body.deliveriesByStatus).toEqual(counts);
        expect(counts.succeeded).toBeGreaterThan(0);
      }
    });
  });
});
