import { isSpanContextValid } from '@opentelemetry/api';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rawRows } from '../fixtures/raw-db';
import { bearer, clusterEnv, deleteRedisKeys, GatewayProcess, scaleServices } from '../scale/cluster';
import { freePort } from '../support/free-port';
import { createPgDatabase, eventually, Gateway, httpRequest, startGateway } from '../support/gateway';
import { Receiver } from '../support/receiver';
import { hookgateTracer } from '../../src/observability/spans';

/**
 * Traces end to end: the BUILT server (`npm run build` first; tracing is set up before the
 * modules it instruments load, so it needs a process of its own) exports to a local OTLP/HTTP
 * receiver. The OTLP/HTTP exporter sends JSON.
 */

type AttributeValue = string | number | boolean;

interface ExportedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  /** OTLP SpanKind: 2 SERVER, 3 CLIENT. */
  kind: number;
  /** OTLP status code: 2 ERROR. */
  status: { code?: number; message?: string };
  attributes: Record<string, AttributeValue>;
  resource: Record<string, AttributeValue>;
}

const SERVER = 2;
const CLIENT = 3;
const STATUS_ERROR = 2;

interface OtlpAttribute {
  key: string;
  value: { stringValue?: string; intValue?: number | string; boolValue?: boolean; doubleValue?: number };
}

const attributesOf = (list: OtlpAttribute[] = []): Record<string, AttributeValue> =>
  Object.fromEntries(list.map(({ key, value }) => [key, value.stringValue ?? value.boolValue ?? value.doubleValue ?? Number(value.intValue)]));

/** A local OTLP/HTTP trace receiver: keeps every span of every POST /v1/traces. */
class OtlpCollector {
  readonly spans: ExportedSpan[] = [];

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<OtlpCollector> {
    let collector!: OtlpCollector;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (req.method !== 'POST' || req.url !== '/v1/traces') {
          res.writeHead(404).end();
          return;
        }
        collector.add(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    collector = new OtlpCollector(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return collector;
  }

  trace(traceId: string): ExportedSpan[] {
    return this.spans.filter((s) => s.traceId === traceId);
  }

  close(): Promise<void> {
    return new Promise((done) => this.server.close(() => done()));
  }

  private add(body: { resourceSpans: { resource?: { attributes?: OtlpAttribute[] }; scopeSpans: { spans: any[] }[] }[] }): void {
    for (const rs of body.resourceSpans) {
      const resource = attributesOf(rs.resource?.attributes);
      for (const ss of rs.scopeSpans) {
        for (const s of ss.spans) this.spans.push({ traceId: s.traceId, spanId: s.spanId, parentSpanId: s.parentSpanId || undefined, name: s.name, kind: s.kind, status: s.status ?? {}, attributes: attributesOf(s.attributes), resource });
      }
    }
  }
}

const randomHex = (bytes: number): string => Buffer.from(Array.from({ length: bytes }, () => Math.floor(Math.random() * 256))).toString('hex');

/** The caller's own trace: a W3C traceparent as a tracing publisher sends it. */
function callerTrace(): { traceId: string; spanId: string; traceparent: string } {
  const traceId = randomHex(16);
  const spanId = randomHex(8);
  return { traceId, spanId, traceparent: `00-${traceId}-${spanId}-01` };
}

const token = bearer('webhooks:read webhooks:write events:publish deliveries:read');

describe('OpenTelemetry traces (OTLP/HTTP export from the built server)', () => {
  let collector: OtlpCollector;
  let dir: string;
  const receivers: Receiver[] = [];
  const running: GatewayProcess[] = [];

  const gateway = async (name: string, env: Record<string, string>): Promise<GatewayProcess> => {
    const process = new GatewayProcess(name, env, await freePort());
    running.push(process);
    await process.start();
    return process;
  };
  const receiver = async (respond: Receiver['respond']): Promise<Receiver> => {
    const r = await Receiver.start();
    r.respond = respond;
    receivers.push(r);
    return r;
  };
  const tracingEnv = (databaseUrl: string, extra: Record<string, string> = {}) =>
    clusterEnv(databaseUrl, {
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
      OTEL_SERVICE_NAME: 'hookgate-trace-test',
      // Export within 100 ms rather than the default 5 s.
      OTEL_BSP_SCHEDULE_DELAY: '100',
      ...extra,
    });

  beforeAll(async () => {
    collector = await OtlpCollector.start();
    dir = mkdtempSync(join(tmpdir(), 'hookgate-traces-'));
  });
  afterEach(async () => {
    for (const process of running.splice(0)) await process.stop('SIGKILL');
  });
  afterAll(async () => {
    await Promise.all(receivers.map((r) => r.close()));
    await collector.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /**
   * Publishes one event through `api` to a generic querystring-auth hook whose receiver fails the
   * first attempt (asking for 3 s: time to stop `firstWorker`, so another process sends the
   * retry) and takes the second; resolves with that event's trace once both attempts are in it.
   */
  async function retriedByAnotherProcess(api: GatewayProcess, firstWorker: GatewayProcess, nextWorker: () => Promise<GatewayProcess>): Promise<ExportedSpan[]> {
    const target = await receiver((_, n) => (n === 1 ? { status: 500, headers: { 'retry-after': '3' } } : { status: 200 }));
    // Generic querystring auth: the plugin adds the credential to the URL of every attempt.
    const hook = await httpRequest(api.url, 'POST', '/generic/webhooks', { endpoint: target.url, authType: 'querystring', token: 'query-secret', queryParam: 'apiKey' }, { token });
    expect(hook.status).toBe(201);
    const caller = callerTrace();
    const published = await httpRequest(api.url, 'POST', '/v1/events', { type: 'order.created', plugin: 'generic', data: { n: 1 } }, { token, headers: { traceparent: caller.traceparent } });
    expect(published.status).toBe(202);
    const [delivery] = (await httpRequest(api.url, 'GET', `/v1/deliveries?eventId=${published.body.id}`, undefined, { token })).body.data;

    await target.waitFor(1);
    // An orderly stop records the failed attempt and flushes its spans.
    await firstWorker.stop('SIGTERM');
    await nextWorker();
    const [failedRequest, retried] = await target.waitFor(2, 20000);
    expect(new URL(failedRequest.url, target.url).searchParams.get('apiKey')).toBe('query-secret');
    expect(retried.headers.traceparent).toBeUndefined();

    const spans = await eventually(async () => {
      const found = collector.trace(caller.traceId);
      return found.filter((s) => s.name === 'webhook.deliver').length === 2 && found;
    });
    const server = spans.find((s) => s.kind === SERVER && s.name === 'POST /v1/events')!;
    expect(server).toMatchObject({ parentSpanId: caller.spanId, attributes: { 'http.request.method': 'POST', 'http.route': '/v1/events', 'http.response.status_code': 202 } });
    const fanOut = spans.find((s) => s.name === 'hookgate.fanout')!;
    expect(fanOut).toMatchObject({ parentSpanId: server.spanId, attributes: { 'hookgate.event.id': published.body.id, 'hookgate.plugin': 'generic', 'hookgate.deliveries': 1 } });

    const attempts = spans.filter((s) => s.name === 'webhook.deliver').sort((a, b) => Number(a.attributes['hookgate.delivery.attempt']) - Number(b.attributes['hookgate.delivery.attempt']));
    const common = {
      kind: CLIENT,
      parentSpanId: fanOut.spanId,
      attributes: {
        'http.request.method': 'POST',
        'url.full': `${target.url}?apiKey=REDACTED`,
        'hookgate.delivery.id': delivery.id,
        'hookgate.endpoint.id': delivery.endpointId,
        'hookgate.event.id': published.body.id,
        'hookgate.plugin': 'generic',
      },
    };
    expect(attempts[0]).toMatchObject({ ...common, status: { code: STATUS_ERROR }, attributes: { ...common.attributes, 'hookgate.delivery.attempt': 1, 'http.response.status_code': 500 } });
    expect(attempts[1]).toMatchObject({ ...common, attributes: { ...common.attributes, 'hookgate.delivery.attempt': 2, 'http.response.status_code': 200 } });
    expect(attempts[1].status.code).not.toBe(STATUS_ERROR);
    // The retry came from another process (its own resource), yet joined the stored trace.
    expect(attempts[0].resource).toMatchObject({ 'service.name': 'hookgate-trace-test' });
    expect(attempts[1].resource['process.pid']).not.toBe(attempts[0].resource['process.pid']);
    expect(JSON.stringify(spans)).not.toContain('query-secret');
    return spans;
  }

  it('one trace holds the publish, the fan-out and both attempts of a failing-then-succeeding endpoint, the retry sent by another process (SQLite)', async () => {
    const env = tracingEnv(`sqlite://${join(dir, 'retry.sqlite')}`);
    const first = await gateway('first', env);
    await retriedByAnotherProcess(first, first, () => gateway('second', env));
  }, 90000);

  const services = scaleServices('test/e2e/observability-traces.e2e-spec.ts (PostgreSQL + Redis)', { redis: true });
  (services ? it : it.skip)('the same across an api and two workers on PostgreSQL + Redis, with pg and ioredis spans in the trace', async () => {
    const database = await createPgDatabase(services!.postgresUrl, 'hookgate_traces');
    const prefix = `hgtraces${randomHex(4)}`;
    try {
      const env = tracingEnv(database.url, { QUEUE_URL: services!.redisUrl!, QUEUE_PREFIX: prefix });
      const api = await gateway('api', { ...env, ROLE: 'api' });
      const firstWorker = await gateway('worker-1', { ...env, ROLE: 'worker' });
      const spans = await retriedByAnotherProcess(api, firstWorker, () => gateway('worker-2', { ...env, ROLE: 'worker' }));
      const system = (s: ExportedSpan) => s.attributes['db.system.name'] ?? s.attributes['db.system'];
      expect(spans.filter((s) => system(s) === 'postgresql').length).toBeGreaterThan(0);
      expect(spans.filter((s) => system(s) === 'redis').length).toBeGreaterThan(0);
    } finally {
      for (const process of running.splice(0)) await process.stop('SIGKILL');
      await deleteRedisKeys(services!.redisUrl!, prefix);
      await database.drop();
    }
  }, 120000);

  it('DELIVERY_PROPAGATE_TRACE=true sends the attempt span as traceparent to the receiver', async () => {
    const target = await receiver(() => ({ status: 204 }));
    const gw = await gateway('propagating', tracingEnv(`sqlite://${join(dir, 'propagate.sqlite')}`, { DELIVERY_PROPAGATE_TRACE: 'true' }));
    expect((await httpRequest(gw.url, 'POST', '/v1/webhooks', { url: target.url }, { token })).status).toBe(201);
    const caller = callerTrace();
    expect((await httpRequest(gw.url, 'POST', '/v1/events', { type: 'order.created', data: {} }, { token, headers: { traceparent: caller.traceparent } })).status).toBe(202);

    const [received] = await target.waitFor(1);
    const [, traceId, spanId] = String(received.headers.traceparent).split('-');
    expect(traceId).toBe(caller.traceId);
    const attempt = await eventually(async () => collector.trace(caller.traceId).find((s) => s.name === 'webhook.deliver'));
    expect(spanId).toBe(attempt.spanId);
  }, 60000);

  it('OTEL_SDK_DISABLED=true exports nothing even with an endpoint set, up to and including the flush at shutdown', async () => {
    const target = await receiver(() => ({ status: 204 }));
    const gw = await gateway('disabled', tracingEnv(`sqlite://${join(dir, 'disabled.sqlite')}`, { OTEL_SDK_DISABLED: 'true', OTEL_SERVICE_NAME: 'hookgate-disabled', DELIVERY_PROPAGATE_TRACE: 'true' }));
    expect((await httpRequest(gw.url, 'POST', '/v1/webhooks', { url: target.url }, { token })).status).toBe(201);
    const caller = callerTrace();
    expect((await httpRequest(gw.url, 'POST', '/v1/events', { type: 'order.created', data: {} }, { token, headers: { traceparent: caller.traceparent } })).status).toBe(202);
    const [received] = await target.waitFor(1);
    await gw.stop('SIGTERM');
    expect(received.headers.traceparent).toBeUndefined();
    expect(collector.spans.filter((s) => s.traceId === caller.traceId || s.resource['service.name'] === 'hookgate-disabled')).toEqual([]);
  }, 60000);
});

describe('tracing off (no OTEL_EXPORTER_OTLP_*ENDPOINT)', () => {
  let gw: Gateway;
  let target: Receiver;

  beforeAll(async () => {
    target = await Receiver.start();
    gw = await startGateway({ env: { DELIVERY_PROPAGATE_TRACE: 'true' } });
  });
  afterAll(async () => {
    await gw.close();
    await target.close();
  });

  it('registers no provider, stores no trace context and sends no traceparent, even when the publisher sends one', async () => {
    const token = gw.token({ scope: 'webhooks:write events:publish' });
    expect((await gw.request('POST', '/v1/webhooks', { url: target.url }, { token })).status).toBe(201);
    const published = await gw.request('POST', '/v1/events', { type: 'order.created', data: {} }, { token, headers: { traceparent: callerTrace().traceparent } });
    expect(published.status).toBe(202);

    const [received] = await target.waitFor(1);
    expect(received.headers.traceparent).toBeUndefined();
    const [event] = (await rawRows(gw, 'events')).filter((e) => e.id === published.body.id);
    expect(event.trace_context).toBeNull();
    // The @opentelemetry/api no-op: spans record nothing and carry no context.
    const span = hookgateTracer().startSpan('probe');
    expect(span.isRecording()).toBe(false);
    expect(isSpanContextValid(span.spanContext())).toBe(false);
  });
});
