import { useGateway } from '../support/fixture';

describe('pagination: cursor lists', () => {
  const gw = useGateway();
  let token: string;
  const created: string[] = [];
  beforeAll(async () => {
    token = gw.token({ tenant: 'pager', scope: 'webhooks:write deliveries:read audit:read' });
    for (let i = 0; i < 120; i++) {
      const res = await gw.request('POST', '/v1/webhooks', { url: `https://example.com/hook/${i}` }, { token });
      created.push(res.body.id);
    }
  }, 60000);

  it('walking the cursor returns each of 120 endpoints exactly once, even with inserts between pages', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 10; page++) {
      const res: { status: number; body: { data: { id: string }[]; nextCursor: string | null } } = await gw.request('GET', `/v1/webhooks?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, undefined, { token });
      expect(res.status).toBe(200);
      expect(res.body.data.length).toBeLessThanOrEqual(50);
      seen.push(...res.body.data.map((e) => e.id));
      cursor = res.body.nextCursor;
      if (!cursor) break;
      await gw.request('POST', '/v1/webhooks', { url: `https://example.com/late/${page}` }, { token });
    }
    expect(cursor).toBeNull();
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.filter((id) => created.includes(id)).sort()).toEqual([...created].sort());
  });

  it('pages are newest first', async () => {
    const res = await gw.request('GET', '/v1/webhooks?limit=100', undefined, { token });
    const times = res.body.data.map((e: { createdAt: string }) => Date.parse(e.createdAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it('limit may be 1 to 100', async () => {
    expect((await gw.request('GET', '/v1/webhooks?limit=100', undefined, { token })).body.data).toHaveLength(100);
    expect((await gw.request('GET', '/v1/webhooks?limit=1', undefined, { token })).body.data).toHaveLength(1);
    for (const limit of ['101', '0', '-1', '1.5']) {
      const res = await gw.request('GET', `/v1/webhooks?limit=${limit}`, undefined, { token });
      expect({ limit, status: res.status }).toEqual({ limit, status: 400 });
      expect(res.body.errors[0].path).toBe('limit');
    }
  });

  it('a cursor the API did not return is 400 problem+json on every list', async () => {
    for (const path of ['/v1/webhooks', '/v1/deliveries', '/v1/audit-events']) {
      for (const cursor of ['garbage', Buffer.from('[1,2]').toString('base64url'), Buffer.from('{"a":1}').toString('base64url')]) {
        const res = await gw.request('GET', `${path}?cursor=${cursor}`, undefined, { token });
        expect({ path, cursor, status: res.status }).toEqual({ path, cursor, status: 400 });
        expect(res.headers['content-type']).toContain('application/problem+json');
        expect(res.body.errors[0].path).toBe('cursor');
      }
    }
  });
});
