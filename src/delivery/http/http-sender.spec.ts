import { createServer, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { HttpSender, RESPONSE_BODY_LIMIT } from './http-sender';

/** A loopback receiver whose answer each test scripts. */
describe('HttpSender', () => {
  let server: Server;
  let url: string;
  let answer: (res: ServerResponse) => void;
  const agent = new Agent();
  const sender = new HttpSender(agent);

  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => answer(res));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook?x=1`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await agent.close();
  });

  it('returns the status, headers, Retry-After and the whole short body', async () => {
    answer = (res) => res.writeHead(503, { 'retry-after': '7', 'x-receiver': 'a' }).end('busy');
    const result = await sender.send(url, { 'content-type': 'application/json' }, '{}', 1000);
    expect(result).toMatchObject({ statusCode: 503, error: null, retryAfterMs: 7000, responseBody: 'busy' });
    expect(result.responseHeaders).toMatchObject({ 'x-receiver': 'a' });
  });

  it('keeps the first 4 KiB of a body sent in many chunks, and an empty body as null', async () => {
    answer = (res) => {
      res.writeHead(200);
      for (let i = 0; i < 10; i++) res.write('y'.repeat(1000));
      res.end();
    };
    expect((await sender.send(url, {}, '{}', 1000)).responseBody).toBe('y'.repeat(RESPONSE_BODY_LIMIT));
    answer = (res) => res.writeHead(204).end();
    expect(await sender.send(url, {}, '{}', 1000)).toMatchObject({ statusCode: 204, responseBody: null });
  });

  it('reports a receiver that never answers as a timeout at the deadline', async () => {
    answer = () => undefined;
    const result = await sender.send(url, {}, '{}', 150);
    expect(result).toMatchObject({ statusCode: null, error: 'timeout after 150 ms', responseBody: null });
    expect(result.durationMs).toBeGreaterThanOrEqual(140);
    expect(result.durationMs).toBeLessThan(1000);
  });

  it('keeps the status and the prefix read when the body stalls past the deadline or breaks off', async () => {
    answer = (res) => {
      res.writeHead(200);
      res.write('partial');
    };
    const stalled = await sender.send(url, {}, '{}', 150);
    expect(stalled).toMatchObject({ statusCode: 200, error: null, responseBody: 'partial' });
    expect(stalled.durationMs).toBeLessThan(1000);
    answer = (res) => {
      res.writeHead(200);
      res.write('cut');
      setTimeout(() => res.socket?.destroy(), 20);
    };
    expect(await sender.send(url, {}, '{}', 1000)).toMatchObject({ statusCode: 200, error: null, responseBody: 'cut' });
  });

  it('names a redirect as not followed, and a refused connection by its code', async () => {
    answer = (res) => res.writeHead(302, { location: 'http://127.0.0.1:1/elsewhere' }).end();
    expect(await sender.send(url, {}, '{}', 1000)).toMatchObject({ statusCode: 302, error: 'redirect to http://127.0.0.1:1/elsewhere not followed' });
    const refused = await sender.send('http://127.0.0.1:1/hook', {}, '{}', 1000);
    expect(refused).toMatchObject({ statusCode: null, responseBody: null });
    expect(refused.error).toMatch(/ECONNREFUSED/);
  });
});
