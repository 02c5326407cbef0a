import autocannon from 'autocannon';
import { createHmac, randomBytes } from 'node:crypto';
import { Pool } from 'undici';
import { now, serve } from './child';

const EVENT_BYTES = 1024;
/** A publish body of exactly EVENT_BYTES bytes of JSON. */
export const payload = (i: number) => {
  const event = { type: 'bench.event', data: { seq: i, pad: '' } };
  event.data.pad = 'x'.repeat(EVENT_BYTES - JSON.stringify(event).length);
  return event;
};

export async function post(pool: Pool, path: string, body: unknown, bearer: string): Promise<any> {
  const res = await pool.request({ method: 'POST', path, headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` }, body: JSON.stringify(body) });
  const text = await res.body.text();
  if (res.statusCode >= 300) throw new Error(`${path} → ${res.statusCode} ${text}`);
  return JSON.parse(text);
}

export async function inParallel<T>(items: T[], width: number, work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) await work(items[next++]);
  }));
}

export interface CannonFigures {
  requestsPerSecond: number;
  /** Requests answered in all. */
  requests: number;
  p99: number;
  non2xx: number;
}

/**
 * What the bench asks of its load generator, in this process or in its own (then over IPC). An
 * https URL is trusted through NODE_EXTRA_CA_CERTS, as the gateway trusts it.
 */
export interface BenchLoad {
  /** Raw: an undici Pool POSTing signed 1 KiB JSON bodies to `url` as fast as it can; requests per second. */
  raw(url: string, count: number): Promise<number>;
  /** Publishes `events` through `base`'s API, 32 at a time; resolves with when it started (epoch ms). */
  publishAll(base: string, bearer: string, events: number): Promise<number>;
  /** Publishes `rate` events a second for `seconds`; each event id with when its publish was sent (epoch ms). */
  publishPaced(base: string, bearer: string, rate: number, seconds: number): Promise<[string, number][]>;
  /** autocannon POST /v1/events at 50 connections. */
  cannon(base: string, bearer: string, seconds: number): Promise<CannonFigures>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const load: BenchLoad = {
  async raw(target, count) {
    const url = new URL(target);
    const pool = new Pool(url.origin, { connections: 64 });
    const key = randomBytes(24);
    const started = now();
    await inParallel([...Array(count).keys()], 64, async (i) => {
      const body = JSON.stringify({ id: `raw-${i}`, ...payload(i) });
      const ts = Math.floor(Date.now() / 1000);
      const sig = createHmac('sha256', key).update(`raw-${i}.${ts}.${body}`).digest('base64');
      const res = await pool.request({ method: 'POST', path: url.pathname, headers: { 'content-type': 'application/json', 'webhook-id': `raw-${i}`, 'webhook-timestamp': String(ts), 'webhook-signature': `v1,${sig}` }, body });
      await res.body.dump();
    });
    const seconds = (now() - started) / 1000;
    await pool.close();
    return count / seconds;
  },

  async publishAll(base, bearer, events) {
    const pool = new Pool(base, { connections: 32 });
    const started = now();
    await inParallel([...Array(events).keys()], 32, (i) => post(pool, '/v1/events', payload(i), bearer));
    await pool.close();
    return started;
  },

  async publishPaced(base, bearer, rate, seconds) {
    const pool = new Pool(base, { connections: 32 });
    const sentAt: [string, number][] = [];
    const publishes: Promise<void>[] = [];
    const t0 = performance.now();
    for (let i = 0; i < rate * seconds; i++) {
      const wait = t0 + (i * 1000) / rate - performance.now();
      if (wait > 1) await sleep(wait);
      const at = now();
      publishes.push(post(pool, '/v1/events', payload(i), bearer).then((r) => void sentAt.push([r.id, at])));
    }
    await Promise.all(publishes);
    await pool.close();
    return sentAt;
  },

  async cannon(base, bearer, seconds) {
    const result = await autocannon({ url: `${base}/v1/events`, method: 'POST', connections: 50, duration: seconds, headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` }, body: JSON.stringify(payload(1)) });
    return { requestsPerSecond: result.requests.average, requests: result.requests.total, p99: result.latency.p99, non2xx: result.non2xx };
  },
};

/** Forked by the bench: the load generator in its own process. */
if (require.main === module) serve(load, Promise.resolve(null));
