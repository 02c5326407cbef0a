/**
 * Imported first by main.ts (before any module that loads pg, ioredis or undici) so the
 * instrumentations can patch them.
 */
import { startTracing } from './tracing';

startTracing(process.env);
