import { Injectable } from '@nestjs/common';
import { ConflictError, NotFoundError, PluginRecords } from '../../src/sdk';
import type { PluginRecord, Principal } from '../../src/sdk';
import { newApplicationId } from './svix.ids';
import { APPLICATION, ownKey, pageRequest, StoredApplication, toApplicationOut, toListResponse } from './svix.mapper';
import type { ApplicationIn, ApplicationOut, ApplicationPatch, ListQuery, ListResponse } from './svix.schemas';

const storedApplication = (body: ApplicationIn): StoredApplication => ({ name: body.name, metadata: body.metadata ?? {}, throttleRate: body.throttleRate ?? body.rateLimit ?? null });

/** Applications: the core has no table for them, so they are plugin records (uid = the record's). */
@Injectable()
export class SvixApplications {
  constructor(private readonly records: PluginRecords) {}

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

  /** Oldest first unless `order=descending`, as Svix lists them. */
  async list(caller: Principal, query: ListQuery): Promise<ListResponse<ApplicationOut>> {
    const request = pageRequest(query, 'asc');
    return toListResponse(await this.records.list<StoredApplication>(caller, APPLICATION, request.page), request, ownKey, toApplicationOut);
  }

  /** PUT: replaces the application; an unknown id or uid creates it with that uid, as Svix does (`created`). */
  async update(caller: Principal, idOrUid: string, body: ApplicationIn): Promise<{ app: ApplicationOut; created: boolean }> {
    let found = await this.records.find<StoredApplication>(caller, APPLICATION, idOrUid);
    if (!found) {
      try {
        return { app: (await this.create(caller, { ...body, uid: body.uid ?? idOrUid })).app, created: true };
      } catch (err) {
        // A concurrent PUT of the same uid created it first: this one replaces it, as a PUT does.
        found = err instanceof ConflictError ? await this.records.find<StoredApplication>(caller, APPLICATION, idOrUid) : null;
        if (!found) throw err;
      }
    }
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

  /**
   * The application and its endpoints (grouped under it; their queued deliveries stop) in one
   * transaction; its messages stay until retention.
   */
  async remove(caller: Principal, idOrUid: string): Promise<void> {
    await this.records.remove(caller, APPLICATION, (await this.resolve(caller, idOrUid)).id);
  }
}
