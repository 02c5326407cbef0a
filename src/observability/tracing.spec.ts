import { diag } from '@opentelemetry/api';
import { createLogger } from '../common/logger';
import { logTracingDiagnostics } from './tracing';

describe('OpenTelemetry diagnostics in the gateway log', () => {
  afterEach(() => diag.disable());

  it('logs the SDK\'s warnings and errors with their details, and nothing below warn', () => {
    const lines: string[] = [];
    logTracingDiagnostics(createLogger({ level: 'debug', format: 'json', role: 'api', destination: { write: (line: string) => void lines.push(line) } }));
    diag.error('OTLPExporterError', 'connect ECONNREFUSED 127.0.0.1:4318');
    diag.warn('span queue full: dropping spans');
    diag.info('exporter started');
    const logged = lines.map((line) => JSON.parse(line));
    expect(logged.map(({ level, context, msg, details }) => ({ level, context, msg, details }))).toEqual([
      { level: 50, context: 'OpenTelemetry', msg: 'OTLPExporterError', details: 'connect ECONNREFUSED 127.0.0.1:4318' },
      { level: 40, context: 'OpenTelemetry', msg: 'span queue full: dropping spans', details: undefined },
    ]);
  });
});
