import type { ApiKeyView, ClientInput, ClientView } from '../auth/principals.service';
import type { Page, PageQuery } from '../common/pagination';
import type { AttemptView, DeliveryFilter, DeliveryView } from '../delivery/api/deliveries.service';
import type { WebhookDto } from '../endpoints/endpoint.dto';

export type CreatedClient = ClientView & { clientSecret: string };
export type CreatedApiKey = ApiKeyView & { key: string };
export type DeliveryDetail = DeliveryView & { attempts: AttemptView[] };

/**
 * What the commands need from a gateway, with the /v1 API's shapes: served either by the core
 * services over the local database, or by a running gateway over HTTP.
 */
export interface Backend {
  createClient(input: ClientInput): Promise<CreatedClient>;
  listClients(): Promise<ClientView[]>;
  revokeClient(id: string): Promise<void>;
  createApiKey(input: { tenant: string; name?: string }): Promise<CreatedApiKey>;
  revokeApiKey(id: string): Promise<void>;
  /** Endpoints, optionally of one tenant only (the API's `tenant` filter: another tenant than a non-admin token's own is refused). */
  listEndpoints(query: PageQuery & { tenant?: string }): Promise<Page<WebhookDto>>;
  /** Without since/until: the HTTP API takes them as ISO 8601 text, the service as epoch ms. */
  listDeliveries(filter: Omit<DeliveryFilter, 'since' | 'until'>): Promise<Page<DeliveryView>>;
  getDelivery(id: string): Promise<DeliveryDetail>;
  retryDelivery(id: string): Promise<DeliveryView>;
  close(): Promise<void>;
}

/** Every item of a paginated list, page by page, stopping after `max` items. */
export async function* walk<T>(fetchPage: (cursor: string | undefined) => Promise<Page<T>>, max = Infinity): AsyncGenerator<T> {
  let cursor: string | undefined;
  let seen = 0;
  do {
    const page = await fetchPage(cursor);
    for (const item of page.data) {
      if (seen++ >= max) return;
      yield item;
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}

export async function listAll<T>(fetchPage: (cursor: string | undefined) => Promise<Page<T>>, max: number): Promise<T[]> {
  const items: T[] = [];
  for await (const item of walk(fetchPage, max)) items.push(item);
  return items;
}
