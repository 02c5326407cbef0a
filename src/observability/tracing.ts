import { diag, DiagLogLevel } from '@opentelemetry/api';
import type { Logger } from 'pino';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { defaultResource, detectResources, envDetector, hostDetector, processDetector, resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import { VERSION } from '../common/version';
import { insideDeliveryAttempt } from './trace-context';

let provider: NodeTracerProvider | null = null;

/**
 * Tracing is on when an OTLP endpoint is configured and OTEL_SDK_DISABLED is not `true` (the
 * standard variables; the exporter reads the rest itself).
 */
export function tracingConfigured(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) && env.OTEL_SDK_DISABLED?.trim().toLowerCase() !== 'true';
}

/**
 * Registers the tracer provider (W3C propagator, AsyncLocalStorage context) and the pg, ioredis
 * and undici instrumentations. Must run before those modules are first required: main.ts
 * imports ./register-tracing ahead of everything else. Without an endpoint nothing is
 * registered and @opentelemetry/api stays a no-op.
 */
export function startTracing(env: NodeJS.ProcessEnv): void {
  if (provider || !tracingConfigured(env)) return;
  const resource = defaultResource()
    .merge(resourceFromAttributes({ [ATTR_SERVICE_NAME]: 'hookgate', [ATTR_SERVICE_VERSION]: VERSION, 'hookgate.role': env.ROLE ?? 'all' }))
    // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES win over the defaults above.
    .merge(detectResources({ detectors: [envDetector, hostDetector, processDetector] }));
  provider = new NodeTracerProvider({ resource, spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())] });
  provider.register();
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      // Only inside a trace: the poller's and BullMQ's background queries would each be a trace of their own.
      new PgInstrumentation({ requireParentSpan: true }),
      new IORedisInstrumentation({ requireParentSpan: true }),
      // A delivery attempt is already a client span of its own (and must not send traceparent unless asked).
      new UndiciInstrumentation({ requireParentforSpans: true, ignoreRequestHook: () => insideDeliveryAttempt() }),
    ],
  });
}

/**
 * Sends OpenTelemetry's own warnings and errors (an unreachable collector, a full span queue) to
 * the gateway's log: without it they are silent. Called once the logger exists.
 */
export function logTracingDiagnostics(log: Logger): void {
  const otel = log.child({ context: 'OpenTelemetry' });
  const line = (level: 'error' | 'warn' | 'info' | 'debug') => (message: string, ...args: unknown[]) => otel[level]({ details: args.map(String).join(' ') || undefined }, message);
  diag.setLogger({ error: line('error'), warn: line('warn'), info: line('info'), debug: line('debug'), verbose: line('debug') }, { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
}

/** True once startTracing registered a provider. */
export function tracingEnabled(): boolean {
  return provider !== null;
}

/** Exports the spans still buffered and stops the exporter (graceful shutdown, after deliveries drained). */
export async function stopTracing(): Promise<void> {
  const stopping = provider;
  provider = null;
  await stopping?.shutdown();
}
