import { Injectable } from '@nestjs/common';
import { NotFoundError, PluginEndpoints, PluginRecords } from '../../src/sdk';
import type { PluginRecord, Principal } from '../../src/sdk';
import { newApplicationId } from './svix.ids';
import { APPLICATION, StoredApplication, toApplicationOut, toListResponse } from './svix.mapper';
import type { ApplicationIn, ApplicationOut, ApplicationPatch, ListQuery, ListResponse } from './svix.schemas';

const storedApplication = (body: ApplicationIn): StoredApplication => ({ name: body.name, metadata: body.metadata ?? {}, throttleRate: body.throttleRate ?? body.rateLimit ?? null });

/** Applications: the core has no table for them, so they are plugin records (uid = the record's). */
@Injectable()
export class SvixApplications {
  constructor(
    private readonly records: PluginRecords,
    private readonly endpoints: PluginEndpoints,
  ) {}

  /** By id or uid, in the caller's tenant: another tenant's application is a 404. */
  async resolve(caller: Principal, idOrUid: string): Promise<PluginRecord<StoredApplication>> {
    const app = await this.records.find<StoredApplication>(caller, APPLICATION, idOrUid);
    if (!app) throw new NotFoundError(`Application ${idOrUid} not found`);
    return app;
  }

  async get(caller: Principal, idOrUid: string): Promise<ApplicationOut> {
    return toApplicationOut(await this.resolve(caller, idOrUid));
  }

  /** `existing` is true when `getIfExists` found the uid taken: the answer is that application, with 200. */
  async create(caller: Principal, body: ApplicationIn, getIfExists = false): Promise<{ app: ApplicationOut; existing: boolean }> {
    if (getIfExists && body.uid) {
      const found = await this.records.find<StoredApplication>(caller, APPLICATION, body.uid);
      if (found) return { app: toApplicationOut(found), existing: true };
    }
    const created = await this.records.create(caller, APPLICATION, { id: newApplicationId(), uid: body.uid ?? null, body: storedApplication(body) });
    return { app: toApplicationOut(created), existing: false };
  }

  async list(caller: Principal, query: ListQuery): Promise<ListResponse<ApplicationOut>> {
    return toListResponse(await this.records.list<StoredApplication>(caller, APPLICATION, { limit: query.limit, cursor: query.iterator }), toApplicationOut);
  }

  /** PUT: replaces the application; an unknown id or uid creates it with that uid, as Svix does (`created`). */
  async update(caller: Principal, idOrUid: string, body: ApplicationIn): Promise<{ app: ApplicationOut; created: boolean }> {
    const found = await this.records.find<StoredApplication>(caller, APPLICATION, idOrUid);
    if (!found) return { app: (await this.create(caller, { ...body, uid: body.uid ?? idOrUid })).app, created: true };
    const updated = await this.records.update(caller, APPLICATION, found.id, { uid: body.uid ?? null, body: storedApplication(body) });
    return { app: toApplicationOut(updated), created: false };
  }

  async patch(caller: Principal, idOrUid: string, body: ApplicationPatch): Promise<ApplicationOut> {
    const found = await this.resolve(caller, idOrUid);
    const current = found.body;
    const next: StoredApplication = {
      name: body.name ?? current.name,
      metadata: body.metadata ?? current.metadata,
      throttleRate: body.throttleRate !== undefined ? body.throttleRate : body.rateLimit !== undefined ? body.rateLimit : current.throttleRate,
    };
    return toApplicationOut(await this.records.update(caller, APPLICATION, found.id, { ...(body.uid !== undefined ? { uid: body.uid } : {}), body: next }));
  }

  /** Deletes its endpoints (their queued deliveries stop), then the application; its messages stay until retention. */
  async remove(caller: Principal, idOrUid: string): Promise<void> {
    const app = await this.resolve(caller, idOrUid);
    for (const endpoint of await this.endpoints.listAll(caller, { metadata: { application: app.id } })) await this.endpoints.remove(caller, endpoint.id);
    await this.records.remove(caller, APPLICATION, app.id);
  }
}
