import { Attributes, Span, SpanStatusCode, trace, Tracer } from '@opentelemetry/api';
import { VERSION } from '../common/version';

/** The gateway's own spans; a no-op tracer unless tracing.ts registered a provider. */
export function hookgateTracer(): Tracer {
  return trace.getTracer('hookgate', VERSION);
}

/** Runs `work` in a new active span that ends when it settles; a throw marks the span as failed. */
export function inSpan<T>(name: string, attributes: Attributes, work: (span: Span) => Promise<T>): Promise<T> {
  return hookgateTracer().startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await work(span);
    } catch (err) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
      throw err;
    } finally {
      span.end();
    }
  });
}
