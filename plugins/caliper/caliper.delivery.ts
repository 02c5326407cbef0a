import { ValidationFailedError } from '../../src/sdk';
import type { EndpointView, PluginEvent, ValidationIssue } from '../../src/sdk';
import { CaliperEventContext, filtersOf, sensorOf } from './caliper.mapper';
import { CaliperEvent } from './caliper.schemas';
import { zod3Issue } from './caliper.zod3';
import { matchesAll } from './filters';

/**
 * Fan-out test: a webhook with a sensor takes only that sensor's events (one without takes all),
 * and every one of its active filters must pass.
 */
export function acceptsCaliperEvent(endpoint: EndpointView, event: PluginEvent): boolean {
  const sensor = sensorOf(endpoint);
  if (sensor !== null && sensor !== (event.context as Partial<CaliperEventContext> | null)?.sensor) return false;
  return matchesAll(
    filtersOf(endpoint).filter((f) => f.active),
    event.data,
  );
}

/** The Caliper event's issues in zod 3's words, under `data`. */
function eventIssues(data: unknown): ValidationIssue[] {
  try {
    CaliperEvent.parse(data);
    return [];
  } catch (err) {
    if (!(err instanceof ValidationFailedError)) throw err;
    return err.issues.map(zod3Issue).map((issue) => ({ ...issue, path: ['data', ...issue.path] }));
  }
}

/**
 * Events published for this plugin (by POST /caliper/events, or by a trusted service through
 * POST /v1/events) must be Caliper events of the named type, with the sensor in their context.
 */
export function validateCaliperEvent(event: { type: string; data: unknown; context: Record<string, unknown> | null }): ValidationIssue[] {
  const issues = eventIssues(event.data);
  const data = event.data as { type?: unknown } | null;
  if (!issues.length && data?.type !== event.type) issues.push({ path: ['data', 'type'], code: 'invalid_literal', message: `data.type must be the event type ${event.type}` });
  if (typeof event.context?.sensor !== 'string') issues.push({ path: ['context', 'sensor'], code: 'invalid_type', message: 'context.sensor (the Caliper sensor id) is required' });
  return issues;
}
