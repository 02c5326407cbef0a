import { EndpointView } from '../../endpoints/endpoint.view';
import { EventRow } from '../../persistence/entities';
import { RegisteredPlugin } from '../../plugins-host/plugin-registry';
import { PluginEvent } from '../../sdk/plugin';
import { standardSignature } from './signer';
import { sha256 } from './recorded-request';
import { VERSION } from '../../common/version';

export const USER_AGENT = `hookgate/${VERSION}`;

/**
 * Headers the gateway sets on every delivery (transport, identity and signatures): an endpoint's
 * custom headers never replace them, and plugins refuse them at registration (via the SDK).
 */
export const GATEWAY_HEADERS: readonly string[] = ['host', 'content-length', 'content-type', 'transfer-encoding', 'connection', 'user-agent', 'webhook-id', 'webhook-timestamp', 'webhook-signature'];
const PROTECTED = new Set(GATEWAY_HEADERS);

export interface WireRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  /** The body's SHA-256 (hex), for the attempt's record: computed once for a body attempts share. */
  bodySha256(): string;
}

interface SharedBody {
  text: string;
  sha256?: string;
}

/**
 * A dispatch batch loads an event's row once for all of its deliveries (one per endpoint): they
 * share its plugin view, and the core body serialised from it (coreBodies) and that body's hash,
 * rather than serialising and hashing the same payload again for each endpoint (~1% and ~1.5% of
 * a delivery's CPU at 10 endpoints).
 */
const pluginEvents = new WeakMap<EventRow, PluginEvent>();
const coreBodies = new WeakMap<PluginEvent, SharedBody>();

export function toPluginEvent(row: EventRow): PluginEvent {
  let event = pluginEvents.get(row);
  if (!event) pluginEvents.set(row, (event = { id: row.id, tenant: row.tenant, type: row.type, data: row.data, context: row.context, createdAt: Number(row.createdAt) }));
  return event;
}

/** The core profile's body when the endpoint has no plugin (or the plugin has no envelope). */
export function coreEnvelope(event: PluginEvent): unknown {
  return { id: event.id, type: event.type, timestamp: new Date(event.createdAt).toISOString(), data: event.data };
}

/** The body of every attempt of this event to this endpoint: the plugin's envelope, else the core profile's. */
export function wireBody(event: PluginEvent, endpoint: EndpointView, plugin: RegisteredPlugin | undefined): string {
  return sharedWireBody(event, endpoint, plugin).text;
}

function sharedWireBody(event: PluginEvent, endpoint: EndpointView, plugin: RegisteredPlugin | undefined): SharedBody {
  const envelope = plugin?.metadata.delivery?.envelope;
  if (envelope) return { text: JSON.stringify(envelope(event, endpoint)) };
  let body = coreBodies.get(event);
  if (body === undefined) coreBodies.set(event, (body = { text: JSON.stringify(coreEnvelope(event)) }));
  return body;
}

/**
 * Everything sent for one attempt: the plugin's body, Standard Webhooks headers (webhook-id is
 * the delivery id, the same on every retry), the plugin's headers, then the endpoint's own.
 */
export function buildWireRequest(args: {
  deliveryId: string;
  attempt: number;
  event: PluginEvent;
  endpoint: EndpointView;
  plugin: RegisteredPlugin | undefined;
  secrets: string[];
  now: number;
}): WireRequest {
  const { deliveryId, event, endpoint, plugin, secrets } = args;
  const profile = plugin?.metadata.delivery;
  const shared = sharedWireBody(event, endpoint, plugin);
  const body = shared.text;
  const timestamp = Math.floor(args.now / 1000);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'webhook-id': deliveryId,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': standardSignature(secrets, deliveryId, timestamp, body),
  };
  const pluginHeaders = lowerKeys(profile?.headers?.({ deliveryId, attempt: args.attempt, event, endpoint, body, timestamp, secrets }) ?? {});
  Object.assign(headers, pluginHeaders);
  // Custom headers add to the gateway's and the plugin's headers, never replace them (signatures, credentials).
  for (const [name, value] of Object.entries(lowerKeys(endpoint.headers))) if (!PROTECTED.has(name) && !(name in pluginHeaders)) headers[name] = value;
  headers['user-agent'] = USER_AGENT;
  return { url: profile?.target ? profile.target(endpoint) : endpoint.url, headers, body, bodySha256: () => (shared.sha256 ??= sha256(body)) };
}

function lowerKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}
