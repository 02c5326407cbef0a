import { iso } from '../../src/sdk';
import type { EndpointView, NewEndpoint, PluginEvent } from '../../src/sdk';
import { CALIPER_DATA_VERSIONS } from './caliper.catalogue';
import type { CaliperFilter, CaliperFilterBody, CaliperSensorEnvelope, CaliperWebhook, CaliperWebhookBody } from './caliper.schemas';

/** What a published Caliper event carries besides the event itself. */
export type CaliperEventContext = Pick<CaliperSensorEnvelope, 'sensor' | 'sendTime' | 'dataVersion'>;

/** Caliper fields → the unified endpoint (name and sensor live in metadata, active is enabled, the caller's secret signs). */
export function endpointInput(body: CaliperWebhookBody): NewEndpoint {
  return { url: body.targetUrl, description: body.description, enabled: body.active, metadata: { name: body.name, sensor: body.sensor ?? null }, secret: body.secret };
}

export function toWebhook(endpoint: EndpointView, secret: string): CaliperWebhook {
  return {
    id: endpoint.id,
    sensor: sensorOf(endpoint),
    name: String(endpoint.metadata.name ?? ''),
    description: endpoint.description,
    targetUrl: endpoint.url,
    secret,
    active: endpoint.enabled,
    createdAt: iso(endpoint.createdAt)!,
    updatedAt: iso(endpoint.updatedAt)!,
    deletedAt: iso(endpoint.deletedAt),
  };
}

export const sensorOf = (endpoint: EndpointView): string | null => (typeof endpoint.metadata.sensor === 'string' ? endpoint.metadata.sensor : null);

const isFilter = (value: unknown): value is CaliperFilter => typeof value === 'object' && value !== null && typeof (value as CaliperFilter).id === 'string';

export const filtersOf = (endpoint: EndpointView): CaliperFilter[] => endpoint.filters.filter(isFilter);

export function newFilter(id: string, body: CaliperFilterBody, now: number): CaliperFilter {
  return { id, ...body, createdAt: iso(now)!, updatedAt: iso(now)!, deletedAt: null };
}

/** PUT replaces every field but the id and the creation time. */
export function replacedFilter(current: CaliperFilter, body: CaliperFilterBody, now: number): CaliperFilter {
  return { ...newFilter(current.id, body, now), createdAt: current.createdAt };
}

export function eventContext(envelope: CaliperSensorEnvelope): CaliperEventContext {
  return { sensor: envelope.sensor, sendTime: envelope.sendTime, dataVersion: envelope.dataVersion };
}

/**
 * One event in its own Caliper envelope, as the sensor sent it: same sensor, sendTime and
 * dataVersion (an event published through /v1 without them gets its creation time and v1p1).
 */
export function caliperEnvelope(event: PluginEvent): CaliperSensorEnvelope {
  const context = (event.context ?? {}) as Partial<CaliperEventContext>;
  return {
    sensor: String(context.sensor ?? ''),
    sendTime: context.sendTime ?? iso(event.createdAt)!,
    dataVersion: context.dataVersion ?? CALIPER_DATA_VERSIONS[0],
    data: [event.data],
  };
}
