import { LoggerService } from '@nestjs/common';
import { isSpanContextValid, trace } from '@opentelemetry/api';
import { hostname } from 'node:os';
import pino, { DestinationStream, Logger } from 'pino';

/** Whether a logger configured at `configured` (LOG_LEVEL) writes lines of `level`; `silent` writes none. */
export function logsAt(configured: string, level: pino.Level): boolean {
  const threshold = pino.levels.values[configured];
  return threshold !== undefined && threshold <= pino.levels.values[level];
}

export const LOG_FORMATS = ['json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export interface LoggerOptions {
  level: string;
  /** Unset: pretty on a terminal, JSON otherwise (a file, a pipe, a log shipper). */
  format?: LogFormat;
  /** ROLE, on every line: which of a deployment's processes wrote it. */
  role: string;
  /** Where lines go instead of stdout (tests read them). */
  destination?: DestinationStream;
}

/**
 * pino logs. Credentials are redacted wherever they could appear in a logged object;
 * services never log secrets in the first place, this is the second line.
 */
export function createLogger(options: LoggerOptions): Logger {
  const format = options.format ?? (process.stdout.isTTY ? 'pretty' : 'json');
  const out = options.destination ?? pino.destination({ fd: 1, sync: true });
  return pino(
    {
      level: options.level,
      base: { pid: process.pid, hostname: hostname(), role: options.role, service: 'hookgate' },
      // Lines written while a span is active (a request, an attempt) name its trace.
      mixin: () => {
        const traceId = activeTraceId();
        return traceId ? { traceId } : {};
      },
      redact: {
        paths: ['req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers.cookie', '*.secret', '*.password', '*.token', '*.clientSecret', '*.client_secret'],
        censor: '[redacted]',
      },
    },
    format === 'pretty' ? prettyDestination(out) : out,
  );
}

/** The trace id of the active OpenTelemetry span; undefined when tracing is off or no span is active. */
export function activeTraceId(): string | undefined {
  const context = trace.getActiveSpan()?.spanContext();
  return context && isSpanContextValid(context) ? context.traceId : undefined;
}

/** Fields every line carries; the pretty format shows them once, in its prefix. */
const PREFIX_FIELDS = new Set(['time', 'level', 'msg', 'context', 'pid', 'hostname', 'role', 'service']);

/** `time LEVEL role/pid@host [context] msg key=value…`, one line per record (an error's stack follows it). */
export function prettyLine(json: string): string {
  const record = JSON.parse(json) as Record<string, unknown>;
  const time = new Date(Number(record.time)).toISOString().slice(11, 23);
  const level = (pino.levels.labels[Number(record.level)] ?? String(record.level)).toUpperCase().padEnd(5);
  const context = record.context ? `[${String(record.context)}] ` : '';
  const { err, ...rest } = record;
  const fields = prettyFields(rest).filter(([key]) => !PREFIX_FIELDS.has(key)).map(([key, value]) => `${key}=${value}`);
  const error = err as { stack?: string; message?: string } | undefined;
  const stack = error ? `${error.stack ?? error.message ?? JSON.stringify(error)}\n` : '';
  return `${time} ${level} ${record.role}/${record.pid}@${record.hostname} ${context}${record.msg ?? ''}${fields.length ? ` ${fields.join(' ')}` : ''}\n${stack}`;
}

/** Nested objects (a request, a response) as dotted keys: `req.method=POST res.statusCode=201`. */
function prettyFields(record: Record<string, unknown>, prefix = ''): [string, string][] {
  return Object.entries(record).flatMap(([key, value]): [string, string][] => {
    if (value === undefined) return [];
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return prettyFields(value as Record<string, unknown>, `${prefix}${key}.`);
    return [[`${prefix}${key}`, typeof value === 'string' && /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value)]];
  });
}

/** A destination that turns pino's JSON lines into prettyLine()s (pino-pretty is not a dependency). */
function prettyDestination(out: DestinationStream): DestinationStream {
  return {
    write: (chunk: string) => {
      for (const line of chunk.split('\n')) if (line) out.write(prettyLine(line));
    },
  };
}

/** Nest's own info lines that come one per route or module: details for debugging a boot, not for every start. */
const BOOT_DETAIL_CONTEXTS = new Set(['RoutesResolver', 'RouterExplorer', 'InstanceLoader']);

/** Nest's logger interface over pino, so framework and app logs share one stream. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly pino: Logger) {}

  log(message: unknown, context?: string): void {
    this.write(context && BOOT_DETAIL_CONTEXTS.has(context) ? 'debug' : 'info', message, context);
  }
  error(message: unknown, trace?: string, context?: string): void {
    this.write('error', message, context, trace);
  }
  warn(message: unknown, context?: string): void {
    this.write('warn', message, context);
  }
  debug(message: unknown, context?: string): void {
    this.write('debug', message, context);
  }
  verbose(message: unknown, context?: string): void {
    this.write('trace', message, context);
  }

  private write(level: 'info' | 'error' | 'warn' | 'debug' | 'trace', message: unknown, context?: string, trace?: string): void {
    // Before building the line: a success's debug line per delivery was ~1% of the engine's CPU at level info.
    if (!this.pino.isLevelEnabled(level)) return;
    if (typeof message === 'object' && message !== null) this.pino[level]({ context, ...(message as object), ...(trace ? { trace } : {}) });
    else this.pino[level]({ context, ...(trace ? { trace } : {}) }, String(message));
  }
}
