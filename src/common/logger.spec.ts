import { prettyLine } from './logger';

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
