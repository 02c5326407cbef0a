import { context, propagation, trace } from '@opentelemetry/api';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { createLogger, logsAt, prettyLine } from './logger';

describe('prettyLine', () => {
  const base = { time: Date.UTC(2026, 11, 5, 9, 1, 2, 345), pid: 42, hostname: 'worker-1', role: 'worker', service: 'hookgate' };

  it('prints time, level, process, context and message, then the other fields as key=value', () => {
    const line = prettyLine(JSON.stringify({ ...base, level: 40, context: 'Delivery', msg: 'delivery attempt failed', deliveryId: 'd1', statusCode: null, error: 'HTTP 500', req: { method: 'POST' } }));
    expect(line).toBe('09:01:02.345 WARN  worker/42@worker-1 [Delivery] delivery attempt failed deliveryId=d1 statusCode=null error="HTTP 500" req.method=POST\n');
  });

  it('prints an error stack under its line', () => {
    const line = prettyLine(JSON.stringify({ ...base, level: 50, msg: 'unhandled error', err: { type: 'Error', message: 'boom', stack: 'Error: boom\n    at x' } }));
    expect(line).toBe('09:01:02.345 ERROR worker/42@worker-1 unhandled error\nError: boom\n    at x\n');
  });
});

describe('logsAt', () => {
  it('writes a level at or above the configured one, and nothing when silent', () => {
    expect(['trace', 'debug', 'info', 'warn', 'silent'].map((configured) => logsAt(configured, 'debug'))).toEqual([true, true, false, false, false]);
    expect(logsAt('info', 'error')).toBe(true);
  });
});

describe('createLogger', () => {
  afterEach(() => {
    trace.disable();
    context.disable();
    propagation.disable();
  });

  it('puts pid, hostname, role on every line, and the active span\'s trace id when there is one', () => {
    const provider = new NodeTracerProvider();
    provider.register();
    const lines: string[] = [];
    const log = createLogger({ level: 'info', format: 'json', role: 'worker', destination: { write: (line: string) => void lines.push(line) } });
    const tracer = provider.getTracer('test');
    log.info('outside');
    const traceId = tracer.startActiveSpan('attempt', (span) => {
      log.info('inside');
      // An explicit field wins: a line about another attempt does not take this span's trace.
      log.info({ traceId: undefined }, 'about another attempt');
      span.end();
      return span.spanContext().traceId;
    });
    const [outside, inside, other] = lines.map((line) => JSON.parse(line));
    expect(outside).toMatchObject({ pid: process.pid, hostname: expect.any(String), role: 'worker', msg: 'outside' });
    expect(outside).not.toHaveProperty('traceId');
    expect(inside).toMatchObject({ role: 'worker', msg: 'inside', traceId });
    expect(other).not.toHaveProperty('traceId');
  });
});
