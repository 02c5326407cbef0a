import { traceableUrl } from './delivery-span';
import { contextFromTraceparent, formatTraceparent, traceIdOf } from './trace-context';
import { trace } from '@opentelemetry/api';
import { tracingConfigured } from './tracing';

describe('traceableUrl', () => {
  it('masks the query parameters a plugin added (its credential) and keeps the stored ones', () => {
    expect(traceableUrl(new URL('https://example.com/hook?x=1&apiKey=s3cret'), 'https://example.com/hook?x=1')).toBe('https://example.com/hook?x=1&apiKey=REDACTED');
  });

  it('masks credential-like parameters even in the stored URL, and drops userinfo', () => {
    expect(traceableUrl(new URL('https://u:p@example.com/h?access_token=t&page=2&sig=abc'), 'https://example.com/h?access_token=t&page=2&sig=abc')).toBe(
      'https://example.com/h?access_token=REDACTED&page=2&sig=REDACTED',
    );
  });

  it('leaves a URL without query or userinfo as it is', () => {
    expect(traceableUrl(new URL('http://127.0.0.1:8080/hook'), 'http://127.0.0.1:8080/hook')).toBe('http://127.0.0.1:8080/hook');
  });
});

describe('stored trace context', () => {
  const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

  it('round-trips a traceparent through the context attempts start under', () => {
    const span = trace.getSpanContext(contextFromTraceparent(traceparent))!;
    expect(span).toMatchObject({ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: 1, isRemote: true });
    expect(formatTraceparent(span)).toBe(traceparent);
    expect(traceIdOf(traceparent)).toBe('0af7651916cd43dd8448eb211c80319c');
  });

  it.each([null, '', 'garbage', '00-00000000000000000000000000000000-b7ad6b7169203331-01', '01-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01'])('%p starts a new trace', (stored) => {
    expect(trace.getSpanContext(contextFromTraceparent(stored))).toBeUndefined();
  });
});

describe('tracingConfigured', () => {
  it.each([
    [{}, false],
    [{ OTEL_SERVICE_NAME: 'hookgate' }, false],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://localhost:4318' }, true],
    [{ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://localhost:4318/v1/traces' }, true],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://localhost:4318', OTEL_SDK_DISABLED: 'TRUE' }, false],
  ])('%j → %p', (env, on) => {
    expect(tracingConfigured(env)).toBe(on);
  });
});
