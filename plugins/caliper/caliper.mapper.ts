import { iso } from '../../src/sdk';
import type { EndpointView, Infer, NewEndpoint, PluginEvent } from '../../src/sdk';
import { CALIPER_DATA_VERSIONS } from './caliper.catalogue';
import type { IngestResult, SensorEnvelope, StatusEnvelope, Webhook, WebhookBody, WebhookFilter, WebhookFilterBody } from './caliper.schemas';

export type CaliperWebhookBody = Infer<typeof WebhookBody>;
/** The Webhook object of every webhook response (seeds 000, 001). */
export type CaliperWebhook = Infer<typeof Webhook>;
export type CaliperFilterBody = Infer<typeof WebhookFilterBody>;
/** A filter as answered and as stored in its endpoint's `filters` array. */
export type CaliperFilter = Infer<typeof WebhookFilter>;
export type CaliperStatus = Infer<typeof StatusEnvelope>;
export type CaliperIngestResult = Infer<typeof IngestResult>;

/** The IMS Caliper Sensor API envelope (POST /caliper/events and every delivery body). */
export type CaliperEnvelope = Infer<typeof SensorEnvelope>;

/** What a published Caliper event carries besides the event itself. */
export type CaliperEventContext = Pick<CaliperEnvelope, 'sensor' | 'sendTime' | 'dataVersion'>;

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

export function eventContext(envelope: CaliperEnvelope): CaliperEventContext {
  return { sensor: envelope.sensor, sendTime: envelope.sendTime, dataVersion: envelope.dataVersion };
}

/**
 * One event in its own Caliper envelope, as the sensor sent it: same sensor, sendTime and
 * dataVersion (an event published through /v1 without them gets its creation time and v1p1).
 */
export function caliperEnvelope(event: PluginEvent): CaliperEnvelope {
  const context = (event.context ?? {}) as Partial<CaliperEventContext>;
  return {
    sensor: String(context.sensor ?? ''),
    sendTime: context.sendTime ?? iso(event.createdAt)!,
    dataVersion: context.dataVersion ?? CALIPER_DATA_VERSIONS[0],
    data: [event.data],
  };
}
