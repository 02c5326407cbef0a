import { Context, context, createContextKey, isSpanContextValid, ROOT_CONTEXT, SpanContext, trace } from '@opentelemetry/api';

/**
 * The W3C trace context as hookgate stores it (events.trace_context) and sends it to receivers
 * (DELIVERY_PROPAGATE_TRACE): a `traceparent` header value, version 00.
 */
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** The active span's trace id (for log lines), or undefined outside a trace or with tracing off. */
export function currentTraceId(): string | undefined {
  const span = trace.getActiveSpan()?.spanContext();
  return span && isSpanContextValid(span) ? span.traceId : undefined;
}

/** The trace id a stored trace context names, or undefined. */
export function traceIdOf(traceparent: string | null | undefined): string | undefined {
  return traceparent ? TRACEPARENT.exec(traceparent)?.[1] : undefined;
}

export function formatTraceparent(span: SpanContext): string | null {
  return isSpanContextValid(span) ? `00-${span.traceId}-${span.spanId}-${(span.traceFlags & 0xff).toString(16).padStart(2, '0')}` : null;
}

/** A stored traceparent as the (remote) parent of new spans; the root context when absent or malformed. */
export function contextFromTraceparent(traceparent: string | null | undefined): Context {
  const match = traceparent ? TRACEPARENT.exec(traceparent) : null;
  if (!match) return ROOT_CONTEXT;
  const span: SpanContext = { traceId: match[1], spanId: match[2], traceFlags: parseInt(match[3], 16), isRemote: true };
  return isSpanContextValid(span) ? trace.setSpanContext(ROOT_CONTEXT, span) : ROOT_CONTEXT;
}

const DELIVERY_ATTEMPT = createContextKey('hookgate.delivery-attempt');

/** Runs a delivery attempt's request marked, so the undici instrumentation leaves it to the attempt span. */
export function asDeliveryAttempt<T>(ctx: Context, send: () => T): T {
  return context.with(ctx.setValue(DELIVERY_ATTEMPT, true), send);
}

export function insideDeliveryAttempt(): boolean {
  return context.active().getValue(DELIVERY_ATTEMPT) === true;
}

/** The active span's context as a traceparent (stored with an event), or null outside a trace. */
export function activeTraceparent(): string | null {
  const span = trace.getActiveSpan();
  return span ? formatTraceparent(span.spanContext()) : null;
}
