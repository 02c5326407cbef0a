import * as jwt from 'jsonwebtoken';
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DeliveryBody, metricSample } from '../support/delivery-api';
import { freePort } from '../support/free-port';
import { eventually, httpRequest, TEST_JWT_SECRET } from '../support/gateway';
import { Receiver } from '../support/receiver';
import { SelfSignedCert, selfSignedCert } from '../support/tls';

/** The built server (`npm test` builds first); HOOKGATE_MAIN points at another build. */
const MAIN = resolve(process.env.HOOKGATE_MAIN ?? 'dist/src/main.js');
const ENCRYPTION_KEY = randomBytes(32).toString('base64');
const token = jwt.sign({ scope: 'webhooks:write events:publish deliveries:read', tenant: 'acme' }, TEST_JWT_SECRET, { algorithm: 'HS256', subject: 'crash-test', expiresIn: 600 });

/** `node dist/src/main.js` as a child process on a SQLite file that outlives it. */
class HookgateProcess {
  private output = '';
  private readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {
    child.stdout!.on('data', (d) => (this.output += d));
    child.stderr!.on('data', (d) => (this.output += d));
    this.exited = new Promise((done) => child.once('exit', (code, signal) => done({ code, signal })));
  }

  static async start(databaseUrl: string, extraEnv: Record<string, string> = {}): Promise<HookgateProcess> {
    const port = await freePort();
    const child = spawn(process.execPath, [MAIN], {
      env: {
        PATH: process.env.PATH,
        // Lets a build outside the repository (HOOKGATE_MAIN) find the repository's node_modules.
        NODE_PATH: resolve('node_modules'),
        PORT: String(port),
        HOST: '127.0.0.1',
        DATABASE_URL: databaseUrl,
        AUTH_JWT_SECRET: TEST_JWT_SECRET,
        HOOKGATE_ENCRYPTION_KEY: ENCRYPTION_KEY,
        DELIVERY_ALLOW_PRIVATE_NETWORKS: 'true',
        DELIVERY_TIME_SCALE: '0.001',
        DELIVERY_LEASE_MS: '2000',
        LOG_LEVEL: 'warn',
        ...extraEnv,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const server = new HookgateProcess(child, `http://127.0.0.1:${port}`);
    try {
      await eventually(async () => child.exitCode === null && (await httpRequest(server.url, 'GET', '/health')).status === 200, 30000, 100);
    } catch (err) {
      child.kill('SIGKILL');
      throw new Error(`hookgate did not start: ${err}\n${server.output}`);
    }
    return server;
  }

  request<T = any>(method: string, path: string, body?: unknown) {
    return httpRequest<T>(this.url, method, path, body, { token });
  }

  /** Sends the signal and waits (bounded) for the process to end. */
  async stop(signal: NodeJS.Signals, timeoutMs = 20000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    this.child.kill(signal);
    const timer = new Promise<never>((_, fail) => setTimeout(() => fail(new Error(`no exit ${timeoutMs} ms after ${signal}\n${this.output}`)), timeoutMs).unref());
    try {
      return await Promise.race([this.exited, timer]);
    } finally {
      if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    }
  }
}

async function throwawaySqlite(): Promise<{ url: string; remove: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'hookgate-crash-'));
  return { url: `sqlite://${join(dir, 'hookgate.sqlite')}`, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

describe('no delivery is lost when the server is killed mid-flight', () => {
  const EVENTS = 300;
  let cert: SelfSignedCert;
  let receivers: Receiver[];
  let db: { url: string; remove: () => void };
  const running: HookgateProcess[] = [];

  beforeAll(async () => {
    cert = selfSignedCert();
    receivers = [await Receiver.start(), await Receiver.start(), await Receiver.start({ tls: { key: cert.key, cert: cert.cert } })];
    for (const r of receivers) r.respond = () => ({ status: 200, delayMs: 50 });
    db = await throwawaySqlite();
  });
  afterAll(async () => {
    for (const server of running) await server.stop('SIGKILL').catch(() => undefined);
    await Promise.all(receivers.map((r) => r.close()));
    cert.remove();
    db.remove();
  });

  it(`delivers every (event, endpoint) pair of ${EVENTS} events to 3 endpoints (one over HTTPS) across a SIGKILL`, async () => {
    // Few slots and slow receivers: the 900 deliveries take seconds, so the kill lands mid-flight.
    const env = { DELIVERY_CONCURRENCY: '8', NODE_EXTRA_CA_CERTS: cert.certPath };
    const first = await HookgateProcess.start(db.url, env);
    running.push(first);
    expect(receivers[2].url).toMatch(/^https:\/\/localhost:/);
    for (const r of receivers) {
      // A 1 s timeout keeps the lease short (max(DELIVERY_LEASE_MS, timeout + slack)), so recovery is quick.
      expect((await first.request('POST', '/v1/webhooks', { url: r.url, timeoutMs: 1000 })).status).toBe(201);
    }
    const eventIds: string[] = [];
    for (let batch = 0; batch < EVENTS; batch += 25) {
      const published = await Promise.all(Array.from({ length: 25 }, (_, i) => first.request('POST', '/v1/events', { type: 'order.created', data: { n: batch + i } })));
      for (const p of published) {
        expect(p.status).toBe(202);
        eventIds.push(p.body.id);
      }
    }
    const receivedCount = () => receivers.reduce((n, r) => n + r.received.length, 0);
    await eventually(async () => receivedCount() >= 100, 30000);
    expect(await first.stop('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
    const atKill = receivedCount();

    const second = await HookgateProcess.start(db.url, env);
    running.push(second);
    const missing = () => receivers.flatMap((r, i) => {
      const got = new Set(r.received.map((req) => req.json().id as string));
      return eventIds.filter((id) => !got.has(id)).map((id) => `${i}:${id}`);
    });
    await eventually(async () => missing().length === 0, 90000, 200).catch((err) => {
      throw new Error(`${missing().length} pairs never arrived (e.g. ${missing().slice(0, 3).join(', ')}): ${err}`);
    });
    const total = receivedCount();
    const duplicates = total - EVENTS * receivers.length;
    // At-least-once: attempts in flight at the kill are sent again once their leases expire.
    console.log(`crash test: ${atKill} requests before SIGKILL, ${total} in all, ${duplicates} duplicates (${receivers.map((r) => r.received.length).join('/')} per receiver)`);
    expect(atKill).toBeLessThan(EVENTS * receivers.length);
    expect(duplicates).toBeGreaterThanOrEqual(0);
    const metrics = await eventually(async () => {
      const text = (await second.request('GET', '/metrics')).text;
      return metricSample(text, 'hookgate_deliveries{plugin="core",status="succeeded"}') === EVENTS * receivers.length && text;
    }, 30000);
    expect(metricSample(metrics, 'hookgate_queue_depth{source="outbox"}')).toBe(0);
  }, 180000);
});

describe('graceful shutdown', () => {
  let receiver: Receiver;
  let db: { url: string; remove: () => void };
  const running: HookgateProcess[] = [];

  beforeAll(async () => {
    receiver = await Receiver.start();
    receiver.respond = () => ({ status: 200, delayMs: 500 });
    db = await throwawaySqlite();
  });
  afterAll(async () => {
    for (const server of running) await server.stop('SIGKILL').catch(() => undefined);
    await receiver.close();
    db.remove();
  });

  it('lets in-flight attempts finish and records them on SIGTERM, then exits 0', async () => {
    const server = await HookgateProcess.start(db.url);
    running.push(server);
    const created = await server.request('POST', '/v1/webhooks', { url: receiver.url });
    expect(created.status).toBe(201);
    for (let n = 0; n < 5; n++) expect((await server.request('POST', '/v1/events', { type: 'order.created', data: { n } })).status).toBe(202);
    // All five have reached the receiver, which answers each only after 500 ms.
    await receiver.waitFor(5);
    expect(await server.stop('SIGTERM')).toEqual({ code: 0, signal: null });

    const restarted = await HookgateProcess.start(db.url);
    running.push(restarted);
    const deliveries = await restarted.request<{ data: DeliveryBody[] }>('GET', `/v1/deliveries?endpointId=${created.body.id}`);
    expect(deliveries.body.data).toHaveLength(5);
    for (const d of deliveries.body.data) expect(d).toMatchObject({ status: 'succeeded', attemptCount: 1, lastStatusCode: 200 });
    expect(receiver.received).toHaveLength(5);
  }, 60000);
});
