import { Injectable } from '@nestjs/common';
import { NotFoundError, PluginRecords } from '../../src/sdk';
import type { PluginRecord, Principal } from '../../src/sdk';
import { EVENT_TYPE, ownKey, pageRequest, StoredEventType, toEventTypeOut, toListResponse } from './svix.mapper';
import type { EventTypeIn, EventTypeOut, EventTypePatch, EventTypeUpdate, ListQuery, ListResponse } from './svix.schemas';

/**
 * Event types: plugin records whose uid is the name. They document a tenant's catalogue; a
 * message's eventType is not checked against it.
 */
@Injectable()
export class SvixEventTypes {
  constructor(private readonly records: PluginRecords) {}

  async get(caller: Principal, name: string): Promise<EventTypeOut> {
    return toEventTypeOut(await this.find(caller, name));
  }

  /**
   * Oldest first unless `order=descending`. Archived ones are left out of each page read unless
   * `include_archived` (a page may then hold fewer than `limit`; `done` still tells the end).
   */
  async list(caller: Principal, query: ListQuery & { include_archived?: boolean }): Promise<ListResponse<EventTypeOut>> {
    const request = pageRequest(query, 'asc');
    const page = await this.records.list<StoredEventType>(caller, EVENT_TYPE, request.page);
    const response = toListResponse(page, request, ownKey, (t) => t);
    return { ...response, data: response.data.filter((t) => query.include_archived || !t.body.archived).map(toEventTypeOut) };
  }

  async create(caller: Principal, body: EventTypeIn): Promise<EventTypeOut> {
    const { name, ...fields } = body;
    return toEventTypeOut(await this.records.create(caller, EVENT_TYPE, { uid: name, body: storedEventType(fields) }));
  }

  /** PUT: replaces it; an unknown name creates it (`created`), as Svix does. */
  async update(caller: Principal, name: string, body: EventTypeUpdate): Promise<{ eventType: EventTypeOut; created: boolean }> {
    const found = await this.records.find<StoredEventType>(caller, EVENT_TYPE, name);
    if (!found) return { eventType: await this.create(caller, { ...body, name }), created: true };
    return { eventType: toEventTypeOut(await this.records.update(caller, EVENT_TYPE, found.id, { body: storedEventType(body) })), created: false };
  }

  async patch(caller: Principal, name: string, body: EventTypePatch): Promise<EventTypeOut> {
    const found = await this.find(caller, name);
    const defined = Object.fromEntries(Object.entries(body).filter(([, value]) => value !== undefined));
    return toEventTypeOut(await this.records.update(caller, EVENT_TYPE, found.id, { body: { ...found.body, ...defined } }));
  }

  /** Svix archives an event type on delete (it can be restored); `expunge` removes it. */
  async remove(caller: Principal, name: string, expunge = false): Promise<void> {
    const found = await this.find(caller, name);
    if (expunge) await this.records.remove(caller, EVENT_TYPE, found.id);
    else await this.records.update(caller, EVENT_TYPE, found.id, { body: { ...found.body, archived: true } });
  }

  private async find(caller: Principal, name: string): Promise<PluginRecord<StoredEventType>> {
    const found = await this.records.find<StoredEventType>(caller, EVENT_TYPE, name);
    if (!found || found.uid !== name) throw new NotFoundError(`Event type ${name} not found`);
    return found;
  }
}

function storedEventType(fields: EventTypeUpdate): StoredEventType {
  return {
    description: fields.description,
    archived: fields.archived ?? false,
    deprecated: fields.deprecated ?? false,
    schemas: fields.schemas ?? null,
    featureFlag: fields.featureFlag ?? null,
    groupName: fields.groupName ?? null,
  };
}
