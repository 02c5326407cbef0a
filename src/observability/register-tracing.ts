/**
 * Imported first by main.ts (before any module that loads pg, ioredis or undici) so the
 * instrumentations can patch them. That is before the configuration is loaded, so this reads the
 * standard OTEL_* variables (and ROLE, for the resource) from the environment itself.
 */
import { startTracing } from './tracing';

startTracing(process.env);
