import { Context, context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { ATTR_HTTP_REQUEST_METHOD, ATTR_HTTP_RESPONSE_STATUS_CODE, ATTR_HTTP_ROUTE, ATTR_URL_PATH } from '@opentelemetry/semantic-conventions';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { hookgateTracer } from './spans';

/** Probes and scrapes would each be a trace of their own, every few seconds. */
const UNTRACED_ROUTES: ReadonlySet<string> = new Set(['/health', '/health/live', '/health/ready', '/metrics']);

/**
 * A SERVER span per request (there is no official Fastify instrumentation for this stack): a W3C
 * `traceparent` on the request becomes its parent, and the handler runs with it active, so the
 * publish's fan-out and queries join the caller's trace.
 */
export function traceRequests(fastify: FastifyInstance): void {
  const spans = new WeakMap<FastifyRequest, Context>();
  fastify.addHook('onRequest', (req, _reply, done) => {
    const route = req.routeOptions.url;
    if (route !== undefined && UNTRACED_ROUTES.has(route)) return done();
    const parent = propagation.extract(ROOT_CONTEXT, req.headers);
    const span = hookgateTracer().startSpan(
      route ? `${req.method} ${route}` : req.method,
      { kind: SpanKind.SERVER, attributes: { [ATTR_HTTP_REQUEST_METHOD]: req.method, [ATTR_HTTP_ROUTE]: route, [ATTR_URL_PATH]: req.url.split('?')[0] } },
      parent,
    );
    spans.set(req, trace.setSpan(parent, span));
    done();
  });
  // The handler (guards, interceptors, the controller) runs inside this callback's context.
  fastify.addHook('preHandler', (req, _reply, done) => {
    const active = spans.get(req);
    return active ? context.with(active, done) : done();
  });
  fastify.addHook('onResponse', (req, reply, done) => {
    const span = trace.getSpan(spans.get(req) ?? ROOT_CONTEXT);
    if (span) {
      span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, reply.statusCode);
      if (reply.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    }
    done();
  });
}
