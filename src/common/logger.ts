import { LoggerService } from '@nestjs/common';
import pino, { Logger } from 'pino';

/**
 * pino JSON logs. Credentials are redacted wherever they could appear in a logged object;
 * services never log secrets in the first place, this is the second line.
 */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'hookgate' },
    redact: {
      paths: ['req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers.cookie', '*.secret', '*.password', '*.token', '*.clientSecret', '*.client_secret'],
      censor: '[redacted]',
    },
  });
}

/** Nest's logger interface over pino, so framework and app logs share one JSON stream. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly pino: Logger) {}

  log(message: unknown, context?: string): void {
    this.write('info', message, context);
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
    if (typeof message === 'object' && message !== null) this.pino[level]({ context, ...(message as object), ...(trace ? { trace } : {}) });
    else this.pino[level]({ context, ...(trace ? { trace } : {}) }, String(message));
  }
}
