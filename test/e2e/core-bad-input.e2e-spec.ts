import { rowCount } from '../fixtures/raw-db';
import { useGateway } from '../support/fixture';
import { HttpResult, testToken } from '../support/gateway';

describe('bad input: clear problem+json answers and no partial write', () => {
  const gw = useGateway();
  const token = testToken({ scope: 'webhooks:write webhooks:read events:publish deliveries:read' });

  const writes = async () => ({ endpoints: await rowCount(gw, 'endpoints'), events: await rowCount(gw, 'events'), audit: await rowCount(gw, 'audit_events') });
  const expectProblem = (res: HttpResult, status: number) => {
    expect({ status: res.status, type: res.headers['content-type'] }).toEqual({ status, type: expect.stringContaining('application/problem+json') });
    expect(res.body).toMatchObject({ status, title: expect.any(String), detail: expect.any(String) });
  };
  /** Sends a refused write and proves it changed nothing. */
  const refusedWrite = async (status: number, send: () => Promise<HttpResult>) => {
    const before = await writes();
    const res = await send();
    expectProblem(res, status);
    expect(await writes()).toEqual(before);
    return res;
  };

  it('malformed JSON is 400', async () => {
    await refusedWrite(400, () => gw.request('POST', '/v1/webhooks', undefined, { token, raw: '{"url": "https://example.com",', headers: { 'content-type': 'application/json' } }));
  });

  it('an empty JSON body is 400', async () => {
    await refusedWrite(400, () => gw.request('POST', '/v1/events', undefined, { token, raw: '', headers: { 'content-type': 'application/json' } }));
  });

  it('a text/plain body is 415', async () => {
    await refusedWrite(415, () => gw.request('POST', '/v1/webhooks', undefined, { token, raw: 'url=https://example.com', headers: { 'content-type': 'text/plain' } }));
  });

  it('a body over 1 MiB is 413', async () => {
    await refusedWrite(413, () => gw.request('POST', '/v1/events', { type: 'big', data: 'x'.repeat(1024 * 1024 + 10) }, { token }));
  });

  it('unknown fields are 400 naming the field', async () => {
    const res = await refusedWrite(400, () => gw.request('POST', '/v1/webhooks', { url: 'https://example.com/h', secretBackdoor: true }, { token }));
    expect(res.body.errors).toEqual([expect.objectContaining({ path: 'secretBackdoor' })]);
    const event = await refusedWrite(400, () => gw.request('POST', '/v1/events', { type: 't', data: {}, tenantId: 'x' }, { token }));
    expect(event.body.errors[0].path).toBe('tenantId');
  });

  it('wrong types are 400 with one entry per field', async () => {
    const res = await refusedWrite(400, () => gw.request('POST', '/v1/webhooks', { url: 'https://example.com/h', eventTypes: 'invoice.paid', timeoutMs: 'soon', enabled: 'yes' }, { token }));
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(['eventTypes', 'timeoutMs', 'enabled']));
  });

  it('a missing required field is 400', async () => {
    const res = await refusedWrite(400, () => gw.request('POST', '/v1/events', { data: {} }, { token }));
    expect(res.body.errors[0].path).toBe('type');
  });

  it('malformed and unknown ids are 404, never 500', async () => {
    for (const id of ['not-a-uuid', '1', "x'%20OR%20'1'%3D'1", 'a'.repeat(90), '00000000-0000-0000-0000-000000000000', '%E2%9C%93']) {
      for (const path of [`/v1/webhooks/${id}`, `/v1/events/${id}`, `/v1/deliveries/${id}`]) {
        const res = await gw.request('GET', path, undefined, { token });
        expect({ path: path.slice(0, 60), status: res.status }).toEqual({ path: path.slice(0, 60), status: 404 });
        expect(res.headers['content-type']).toContain('application/problem+json');
      }
      await refusedWrite(404, () => gw.request('PATCH', `/v1/webhooks/${id}`, { description: 'x' }, { token }));
    }
  });

  it('a very long id is a 404 in problem+json, never 500', async () => {
    const res = await gw.request('GET', `/v1/webhooks/${'a'.repeat(300)}`, undefined, { token });
    expectProblem(res, 404);
  });

  it('limit=999999 and limit=abc are 400', async () => {
    for (const limit of ['999999', 'abc']) {
      const res = await gw.request('GET', `/v1/webhooks?limit=${limit}`, undefined, { token });
      expectProblem(res, 400);
      expect(res.body.errors[0].path).toBe('limit');
    }
  });

  it('an unknown query parameter is 400', async () => {
    expectProblem(await gw.request('GET', '/v1/deliveries?endpoint=x', undefined, { token }), 400);
  });

  it('an unknown route is 404 problem+json', async () => {
    expectProblem(await gw.request('GET', '/v1/nothing-here', undefined, { token }), 404);
  });
});
