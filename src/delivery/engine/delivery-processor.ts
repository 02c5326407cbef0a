import { Injectable, Logger } from '@nestjs/common';
import { Batcher } from '../../common/batcher';
import { AppConfig } from '../../config/app-config';
import { logsAt } from '../../common/logger';
import { EndpointsService } from '../../endpoints/endpoints.service';
import { DeliveryRow, EndpointRow, EventRow } from '../../persistence/entities';
import { PluginRegistry } from '../../plugins-host/plugin-registry';
import { MetricsService } from '../../metrics/metrics.service';
import { AutoDisabled, DeliveryStore, DispatchResult } from '../store/delivery-store';
import { AutoDisableListener } from './auto-disable-listener';
import { HandedOff } from './delivery-handoff';
import { HttpSender } from '../http/http-sender';
import { RateLimiter } from './rate-limiter';
import { nextAttemptAt, retryable, succeeded } from './retry-policy';
import { buildWireRequest, toPluginEvent, WireRequest } from '../http/wire-request';
import { attemptDetail, NO_ATTEMPT_DETAIL } from '../http/recorded-request';
import { endAttemptSpan, startAttemptSpan } from '../../observability/delivery-span';
import { asDeliveryAttempt, formatTraceparent, traceIdOf } from '../../observability/trace-context';

/**
 * A ready delivery's endpoint row read longer ago than this is read again before the attempt, so
 * an owner's edit, disable or delete applies to what is still waiting (the dispatcher checks
 * waiting ones for endpoint changes at half this age, so this is the fallback).
 */
export const ENDPOINT_FRESH_MS = 1000;

/** Batches results so that many attempts cost one transaction. */
const FLUSH_EVERY_MS = 10;
const FLUSH_AT = 256;

interface PendingResult {
  result: DispatchResult;
  /** Settles the attempt's promise once its result is durably recorded. */
  done: () => void;
}

/**
 * Sends deliveries and records what happened. Used by the embedded poller and by queue workers
 * (BullMQ), which differ only in how deliveries are claimed.
 */
@Injectable()
export class DeliveryProcessor {
  private readonly log = new Logger('Delivery');
  private readonly logsSuccesses: boolean;
  private readonly results = new Batcher<PendingResult>({ waitMs: FLUSH_EVERY_MS, flushAt: FLUSH_AT, flush: (batch) => this.record(batch) });

  constructor(
    private readonly store: DeliveryStore,
    private readonly endpoints: EndpointsService,
    private readonly plugins: PluginRegistry,
    private readonly sender: HttpSender,
    private readonly limiter: RateLimiter,
    private readonly config: AppConfig,
    private readonly metrics: MetricsService,
    private readonly autoDisable: AutoDisableListener,
  ) {
    this.logsSuccesses = logsAt(config.LOG_LEVEL, 'debug');
  }

  /**
   * Starts claimed deliveries; each returned promise settles once that result is durably recorded.
   * `attempted` is called for each as soon as its attempt is over and its result is buffered: the
   * lease still covers the delivery until the result is written, so the caller may start another
   * attempt without waiting for the write (drain() writes the buffer at shutdown).
   */
  async dispatch(claimed: DeliveryRow[], attempted: () => void = () => undefined): Promise<Promise<void>[]> {
    if (!claimed.length) return [];
    const { events, endpoints } = await this.store.load(claimed);
    return this.start(claimed, events, endpoints, attempted);
  }

  /**
   * As dispatch, for deliveries whose rows are already read (DeliveryHandoff): the event as read
   * (events never change); the endpoint too unless that read is older than ENDPOINT_FRESH_MS,
   * when it is read again (an owner's edit, disable or delete since then counts).
   */
  async dispatchHandedOff(items: HandedOff[], attempted: () => void = () => undefined): Promise<Promise<void>[]> {
    if (!items.length) return [];
    const now = performance.now();
    const stale = new Set(items.filter((h) => now - h.at > ENDPOINT_FRESH_MS).map((h) => h.delivery.endpointId));
    const endpoints = stale.size ? await this.store.endpoints([...stale]) : new Map<string, EndpointRow>();
    const events = new Map<string, EventRow>();
    for (const { event, endpoint } of items) {
      if (event) events.set(event.id, event);
      if (endpoint && !stale.has(endpoint.id)) endpoints.set(endpoint.id, endpoint);
    }
    return this.start(items.map((h) => h.delivery), events, endpoints, attempted);
  }

  private start(claimed: DeliveryRow[], events: Map<string, EventRow>, endpoints: Map<string, EndpointRow>, attempted: () => void): Promise<void>[] {
    return claimed.map(async (d) => {
      let recorded: Promise<void> = Promise.resolve();
      try {
        const result = await this.attempt(d, events.get(d.eventId), endpoints.get(d.endpointId));
        if (result) recorded = this.enqueue(result);
      } catch (err) {
        this.log.error(`delivery ${d.id} failed unexpectedly: ${err}`);
      }
      attempted();
      await recorded;
    });
  }

  /** One attempt and what it came to; null when the rate limit postponed it (nothing to record). */
  private async attempt(delivery: DeliveryRow, event: EventRow | undefined, endpoint: EndpointRow | undefined): Promise<DispatchResult | null> {
    const skip = (status: DispatchResult['status'], why: string): DispatchResult => ({ delivery: { ...delivery, lastError: why }, attempt: null, status, nextAttemptAt: null, healthy: null });
    if (!event) return skip('dead', 'event no longer exists');
    if (!endpoint || endpoint.deletedAt !== null) return skip('dead', 'endpoint deleted');
    if (!endpoint.enabled) return endpoint.disabledBy === 'auto' ? skip('held', delivery.lastError ?? 'endpoint disabled after repeated failures') : skip('dead', 'endpoint disabled');

    const wait = this.limiter.reserve(endpoint.id, endpoint.rateLimitPerSecond);
    if (wait > 0) {
      await this.store.postpone(delivery.id, Date.now() + wait);
      return null;
    }

    const plugin = this.plugins.find(endpoint.plugin);
    const retry = this.plugins.retryFor(endpoint.plugin);
    const view = this.endpoints.view(endpoint);
    const startedAt = Date.now();
    const secrets = this.endpoints.signingSecrets(endpoint, startedAt);
    let wire: WireRequest;
    try {
      wire = buildWireRequest({
        deliveryId: delivery.id,
        attempt: delivery.attemptCount + 1,
        event: toPluginEvent(event),
        endpoint: view,
        plugin,
        secrets,
        now: startedAt,
      });
    } catch (err) {
      // A plugin that cannot build this request will not manage on a retry either: record it, never leave it stuck.
      this.log.error(`building delivery ${delivery.id} failed: ${err}`);
      const error = `could not build the request: ${err instanceof Error ? err.message : String(err)}`;
      return { delivery, attempt: { startedAt, durationMs: 0, statusCode: null, responseBody: null, error, ...NO_ATTEMPT_DETAIL }, status: 'dead', nextAttemptAt: null, healthy: null };
    }
    const timeout = endpoint.timeoutMs ?? this.config.DELIVERY_TIMEOUT_MS;
    const attempts = delivery.attemptCount + 1;
    const traced = startAttemptSpan({ deliveryId: delivery.id, endpointId: endpoint.id, eventId: event.id, plugin: endpoint.plugin, attempt: attempts, traceContext: event.traceContext, url: wire.url, endpointUrl: endpoint.url });
    const traceparent = this.config.DELIVERY_PROPAGATE_TRACE ? formatTraceparent(traced.span.spanContext()) : null;
    if (traceparent) wire.headers.traceparent = traceparent;
    const outcome = await asDeliveryAttempt(traced.context, () => this.sender.send(wire.url, wire.headers, wire.body, timeout));
    const ok = succeeded(outcome);
    endAttemptSpan(traced.span, outcome, ok);
    // The attempt's trace (the event's stored one, even where this process exports no spans), for its log line.
    const traceId = traceIdOf(formatTraceparent(traced.span.spanContext())) ?? traceIdOf(event.traceContext);
    const next = ok || !retryable(outcome, retry) ? null : nextAttemptAt(Date.now(), attempts, retry, this.config.DELIVERY_TIME_SCALE, outcome.retryAfterMs);
    const status = ok ? 'succeeded' : next === null ? 'dead' : 'failed';
    this.metrics.attempt(endpoint.plugin, status, outcome.durationMs);
    return {
      delivery,
      attempt: {
        startedAt,
        durationMs: outcome.durationMs,
        statusCode: outcome.statusCode,
        responseBody: outcome.responseBody,
        error: outcome.error ?? (ok ? null : `HTTP ${outcome.statusCode}`),
        ...attemptDetail(wire, view, secrets, outcome),
      },
      status,
      nextAttemptAt: next,
      healthy: ok,
      traceId,
    };
  }

  private enqueue(result: DispatchResult): Promise<void> {
    return new Promise((done) => this.results.add({ result, done }));
  }

  /** Writes a batch of results; a failed write is retried by the batcher, never dropped silently. */
  private async record(batch: PendingResult[]): Promise<void> {
    let disabled: AutoDisabled[];
    try {
      disabled = await this.store.record(batch.map((b) => b.result));
    } catch (err) {
      this.log.error(`recording ${batch.length} delivery results failed, retrying: ${err}`);
      throw err;
    }
    batch.forEach((b) => b.done());
    for (const { result } of batch) this.logResult(result);
    for (const d of disabled) {
      this.log.warn({ msg: 'endpoint auto-disabled', endpointId: d.endpoint.id, tenant: d.endpoint.tenant, plugin: d.endpoint.plugin, reason: d.reason });
      await this.autoDisable.endpointDisabled(d).catch((err) => this.log.error(`operator event for ${d.endpoint.id} failed: ${err}`));
    }
  }

  /**
   * One line per recorded result, written once it is committed: a failed attempt (warn), a dead
   * letter (error, after its last attempt's line), a success at debug. Ids only: never the URL,
   * headers or bodies, which may carry credentials and customer data. `traceId` is always a field,
   * even undefined, so a line never takes the trace of whatever span flushed the batch.
   */
  private logResult({ delivery, attempt, status, nextAttemptAt, traceId }: DispatchResult): void {
    // Most results are successes, logged only at debug: their line is not even built otherwise (~1% of a delivery's CPU).
    if (status === 'succeeded' && !this.logsSuccesses) return;
    const ids = { deliveryId: delivery.id, endpointId: delivery.endpointId, eventId: delivery.eventId, tenant: delivery.tenant, plugin: delivery.plugin, traceId };
    if (attempt) {
      const tried = { ...ids, attempt: delivery.attemptCount + 1, statusCode: attempt.statusCode, durationMs: attempt.durationMs };
      if (status === 'succeeded') this.log.debug({ msg: 'delivery attempt succeeded', ...tried });
      else this.log.warn({ msg: 'delivery attempt failed', ...tried, error: attempt.error, nextAttemptAt: nextAttemptAt === null ? null : new Date(nextAttemptAt).toISOString() });
    }
    if (status === 'dead') this.log.error({ msg: 'delivery dead-lettered', ...ids, attempts: delivery.attemptCount + (attempt ? 1 : 0), reason: attempt?.error ?? delivery.lastError });
  }

  /**
   * Writes every result handed in so far. Gives up on a failed write rather than spinning at
   * shutdown: those deliveries are sent again once their leases expire.
   */
  drain(): Promise<void> {
    return this.results.drain();
  }
}
