import { Context, Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { ATTR_ERROR_TYPE, ATTR_HTTP_REQUEST_METHOD, ATTR_HTTP_RESPONSE_STATUS_CODE, ATTR_SERVER_ADDRESS, ATTR_SERVER_PORT, ATTR_URL_FULL } from '@opentelemetry/semantic-conventions';
import { CORE_SURFACE } from '../plugins-host/plugin-registry';
import { contextFromTraceparent } from './trace-context';
import { hookgateTracer } from './spans';

export interface AttemptTarget {
  deliveryId: string;
  endpointId: string;
  eventId: string;
  plugin: string | null;
  /** 1 for the first attempt. */
  attempt: number;
  /** The event's stored trace context: every attempt, in whichever process, joins the publisher's trace. */
  traceContext: string | null;
  /** Where the request goes (the plugin may have added credentials, e.g. a query token). */
  url: string;
  /** The endpoint's stored URL: query parameters the plugin added to it are credentials. */
  endpointUrl: string;
}

export interface AttemptSpan {
  span: Span;
  /** The context to send the request in (the span active). */
  context: Context;
}

/**
 * A delivery attempt as a CLIENT span under the event's stored trace context. Its URL attributes
 * are worked out only for a span that records: parsing and redacting the URL for every attempt
 * with tracing off was ~2% of a delivery's CPU.
 */
export function startAttemptSpan(target: AttemptTarget): AttemptSpan {
  const parent = contextFromTraceparent(target.traceContext);
  const span = hookgateTracer().startSpan(
    'webhook.deliver',
    {
      kind: SpanKind.CLIENT,
      attributes: {
        [ATTR_HTTP_REQUEST_METHOD]: 'POST',
        'hookgate.delivery.id': target.deliveryId,
        'hookgate.endpoint.id': target.endpointId,
        'hookgate.event.id': target.eventId,
        'hookgate.plugin': target.plugin ?? CORE_SURFACE,
        'hookgate.delivery.attempt': target.attempt,
      },
    },
    parent,
  );
  if (span.isRecording()) {
    const url = safeUrl(target.url);
    span.setAttributes({
      [ATTR_URL_FULL]: url ? traceableUrl(url, target.endpointUrl) : 'invalid',
      [ATTR_SERVER_ADDRESS]: url?.hostname,
      [ATTR_SERVER_PORT]: url ? Number(url.port || (url.protocol === 'https:' ? 443 : 80)) : undefined,
    });
  }
  return { span, context: trace.setSpan(parent, span) };
}

/** Ends the attempt span with its outcome: any attempt that did not succeed is an error. */
export function endAttemptSpan(span: Span, outcome: { statusCode: number | null; error: string | null; denied?: boolean }, succeeded: boolean): void {
  if (outcome.statusCode !== null) span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, outcome.statusCode);
  if (!succeeded) {
    span.setAttribute(ATTR_ERROR_TYPE, outcome.statusCode !== null ? String(outcome.statusCode) : outcome.denied ? 'destination_denied' : 'request_failed');
    span.setStatus({ code: SpanStatusCode.ERROR, message: outcome.error ?? `HTTP ${outcome.statusCode}` });
  }
  span.end();
}

/** Query parameters whose values look like credentials whatever added them. */
const CREDENTIAL_PARAM = /token|key|secret|sig|pass|auth|credential|session|code/i;
const REDACTED = 'REDACTED';

/**
 * The URL as a span may show it: no userinfo, and the values of credential-like query
 * parameters and of those the plugin added to the stored URL (e.g. generic querystring auth)
 * replaced by REDACTED.
 */
export function traceableUrl(sent: URL, endpointUrl: string): string {
  const url = new URL(sent);
  url.username = '';
  url.password = '';
  const stored = new Set([...(safeUrl(endpointUrl)?.searchParams ?? [])].map(([name, value]) => `${name}=${value}`));
  const params = [...url.searchParams].map(([name, value]): [string, string] => [name, CREDENTIAL_PARAM.test(name) || !stored.has(`${name}=${value}`) ? REDACTED : value]);
  url.search = params.length ? new URLSearchParams(params).toString() : '';
  return url.toString();
}

function safeUrl(text: string): URL | null {
  try {
    return new URL(text);
  } catch {
    return null;
  }
}
