import { MASKED_VALUE } from '../delivery/http/recorded-request';
import { iso } from '../persistence/columns';
import { WebhookDto } from './endpoint.dto';
import { EndpointView } from './endpoint.view';

export function toWebhookDto(e: EndpointView): WebhookDto {
  return {
    id: e.id,
    plugin: e.plugin,
    tenant: e.tenant,
    url: e.url,
    eventTypes: e.eventTypes,
    description: e.description,
    headers: maskValues(e.headers),
    timeoutMs: e.timeoutMs,
    rateLimitPerSecond: e.rateLimitPerSecond,
    enabled: e.enabled,
    disabledReason: e.disabledReason,
    metadata: e.metadata,
    createdAt: iso(e.createdAt)!,
    updatedAt: iso(e.updatedAt)!,
  };
}

/** Custom headers often carry credentials: their names are shown, their values never. */
function maskValues(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.keys(headers).map((name) => [name, MASKED_VALUE]));
}
