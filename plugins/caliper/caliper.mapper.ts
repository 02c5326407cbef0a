import { iso } from '../../src/sdk';
import type { EndpointInput, EndpointView, PluginEvent } from '../../src/sdk';
import { CALIPER_DATA_VERSIONS } from './caliper.catalogue';
import type { FilterOperation, FilterRule, FilterType } from './filters';

/** POST / PUT /webhooks body (seed 000). */
export interface CaliperWebhookBody {
  sensor?: string | null;
  name: string;
  description: string | null;
  targetUrl: string;
  secret: string;
  active: boolean;
}

/** The Webhook object of every webhook response (seeds 000, 001). */
export interface CaliperWebhook {
  id: string;
  sensor: string | null;
  name: string;
  description: string | null;
  targetUrl: string;
  secret: string;
  active: boolean;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
}

/** POST / PUT /webhook-filters body. */
export interface CaliperFilterBody extends FilterRule {
  webhookId: string;
  filterType: FilterType;
  filterOperation: FilterOperation;
  active: boolean;
}

/** A filter as answered and as stored in its endpoint's `filters` array. */
export interface CaliperFilter extends CaliperFilterBody {
  id: string;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
}

/** The IMS Caliper Sensor API envelope (POST /caliper/events and every delivery body). */
export interface CaliperEnvelope {
  sensor: string;
  sendTime: string;
  dataVersion: string;
  data: unknown[];
}

/** What a published Caliper event carries besides the event itself. */
export type CaliperEventContext = Pick<CaliperEnvelope, 'sensor' | 'sendTime' | 'dataVersion'>;

/** Caliper fields → the unified endpoint (name and sensor live in metadata, active is enabled). */
export function endpointInput(body: CaliperWebhookBody): Required<Pick<EndpointInput, 'url' | 'description' | 'enabled' | 'metadata'>> {
  return { url: body.targetUrl, description: body.description, enabled: body.active, metadata: { name: body.name, sensor: body.sensor ?? null } };
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
  return { id, ...pickFilterBody(body), createdAt: iso(now)!, updatedAt: iso(now)!, deletedAt: null };
}

/** PUT replaces every field but the id and the creation time. */
export function replacedFilter(current: CaliperFilter, body: CaliperFilterBody, now: number): CaliperFilter {
  return { ...newFilter(current.id, body, now), createdAt: current.createdAt };
}

function pickFilterBody(body: CaliperFilterBody): CaliperFilterBody {
  const { webhookId, filterKey, filterValue, filterType, filterOperation, active } = body;
  return { webhookId, filterKey, filterValue, filterType, filterOperation, active };
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
