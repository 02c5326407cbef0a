import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { NotFoundError, PluginEndpoints, PluginEvents, uuidv7, ValidationFailedError } from '../../src/sdk';
import type { EndpointView, NewEndpoint, Principal } from '../../src/sdk';
import { endpointInput, eventContext, filtersOf, newFilter, replacedFilter, toWebhook } from './caliper.mapper';
import { isEntityDescribe } from './caliper.schemas';
import type { CaliperFilter, CaliperFilterBody, CaliperIngestResult, CaliperSensorEnvelope, CaliperStatus, CaliperWebhook, CaliperWebhookBody } from './caliper.schemas';
import type { Zod3Issue } from './caliper.zod3';
import { filterProblem } from './filters';

export const MAX_FILTERS_PER_WEBHOOK = 100;

const success = (message: string): CaliperStatus => ({ status: 'success', message, errors: null });
const webhookNotFound = (id: string) => new NotFoundError(`Webhook ${id} not found`);
const filterNotFound = (id: string) => new NotFoundError(`Webhook filter ${id} not found`);
/** A webhook field the gateway's own policy refuses, worded as zod 3 words a refused string. */
const webhookInvalid = (path: keyof CaliperWebhookBody, expected: string, message: string, more: Partial<Zod3Issue> = {}) =>
  new ValidationFailedError([{ code: 'invalid_string', ...more, expected, received: 'string', path: [path], message }]);
const filterInvalid = (field: string, message: string) => new ValidationFailedError([{ path: [field], code: 'custom', message }]);

/**
 * The Caliper webhooks model over the unified endpoints: a webhook is an endpoint of this plugin
 * (name and sensor in metadata, active = enabled, the caller's secret as its signing secret);
 * its filters live in the endpoint's `filters` array. Callers see their token's tenant (an
 * `admin` token sees every tenant).
 */
@Injectable()
export class CaliperService {
  /** Filter writes are read-modify-write of one endpoint: serialised per webhook in this process. */
  private readonly filterWrites = new Map<string, Promise<unknown>>();

  constructor(
    private readonly endpoints: PluginEndpoints,
    private readonly events: PluginEvents,
  ) {}

  async listWebhooks(p: Principal): Promise<CaliperWebhook[]> {
    return Promise.all((await this.allEndpoints(p)).map((e) => this.webhook(p, e)));
  }

  async createWebhook(p: Principal, body: CaliperWebhookBody): Promise<CaliperWebhook> {
    const { endpoint, secret } = await this.endpoints.create(p, this.checkedEndpoint(body));
    return toWebhook(endpoint, secret);
  }

  async getWebhook(p: Principal, id: string): Promise<CaliperWebhook> {
    return this.webhook(p, await this.endpoint(p, id));
  }

  /** PUT is a full replace, the secret included. */
  async replaceWebhook(p: Principal, id: string, body: CaliperWebhookBody): Promise<CaliperWebhook> {
    const endpoint = await this.endpoints.update(p, id, this.checkedEndpoint(body)).catch(renamed(webhookNotFound(id)));
    return toWebhook(endpoint, body.secret);
  }

  /** Soft delete: the webhook stops matching and its queued deliveries stop at once. */
  async deleteWebhook(p: Principal, id: string): Promise<CaliperStatus> {
    await this.endpoints.remove(p, id).catch(renamed(webhookNotFound(id)));
    return success(`Webhook ${id} deleted`);
  }

  async setActive(p: Principal, id: string, active: boolean): Promise<CaliperWebhook> {
    return this.webhook(p, await this.endpoints.setEnabled(p, id, active).catch(renamed(webhookNotFound(id))));
  }

  async listFilters(p: Principal): Promise<CaliperFilter[]> {
    return (await this.allEndpoints(p)).flatMap(filtersOf);
  }

  async filtersOfWebhook(p: Principal, webhookId: string): Promise<CaliperFilter[]> {
    return filtersOf(await this.endpoint(p, webhookId));
  }

  async getFilter(p: Principal, id: string): Promise<CaliperFilter> {
    for (const endpoint of await this.allEndpoints(p)) {
      const filter = filtersOf(endpoint).find((f) => f.id === id);
      if (filter) return filter;
    }
    throw filterNotFound(id);
  }

  async createFilter(p: Principal, input: CaliperFilterBody): Promise<CaliperFilter> {
    checkFilter(input);
    return this.serially(input.webhookId, async () => {
      const filters = filtersOf(await this.endpoint(p, input.webhookId));
      if (filters.length >= MAX_FILTERS_PER_WEBHOOK) throw filterInvalid('webhookId', `a webhook has at most ${MAX_FILTERS_PER_WEBHOOK} filters`);
      const filter = newFilter(uuidv7(), input, Date.now());
      await this.endpoints.update(p, input.webhookId, { filters: [...filters, filter] });
      return filter;
    });
  }

  /** PUT is a full replace; a filter stays on its webhook (create one on the other webhook instead). */
  async replaceFilter(p: Principal, id: string, input: CaliperFilterBody): Promise<CaliperFilter> {
    checkFilter(input);
    const { webhookId } = await this.getFilter(p, id);
    if (input.webhookId !== webhookId) throw filterInvalid('webhookId', 'webhookId cannot be changed; create the filter on the other webhook');
    return this.serially(webhookId, async () => {
      const filters = filtersOf(await this.endpoint(p, webhookId));
      const current = filters.find((f) => f.id === id);
      if (!current) throw filterNotFound(id);
      const replaced = replacedFilter(current, input, Date.now());
      await this.endpoints.update(p, webhookId, { filters: filters.map((f) => (f.id === id ? replaced : f)) });
      return replaced;
    });
  }

  async deleteFilter(p: Principal, id: string): Promise<CaliperStatus> {
    const { webhookId } = await this.getFilter(p, id);
    await this.serially(webhookId, async () => {
      const filters = filtersOf(await this.endpoint(p, webhookId));
      if (!filters.some((f) => f.id === id)) throw filterNotFound(id);
      await this.endpoints.update(p, webhookId, { filters: filters.filter((f) => f.id !== id) });
    });
    return success(`Webhook filter ${id} deleted`);
  }

  /**
   * Each event of the envelope becomes one hookgate event of its Caliper type, in the caller's
   * tenant, all in one transaction (the envelope is stored whole or not at all). A Caliper event
   * id already received by the tenant within 24 h is accepted again but not fanned out again.
   * Entity describes are validated and counted, never stored, filtered or delivered: webhooks
   * relay events, and each event carries (or names by IRI) the entities it is about.
   */
  async ingest(p: Principal, envelope: CaliperSensorEnvelope): Promise<CaliperIngestResult> {
    const context = eventContext(envelope);
    // The items of `data` are the objects as sent (validated, not rewritten): delivered as they came.
    const caliperEvents = envelope.data.filter((item) => !isEntityDescribe(item)) as { id: string; type: string }[];
    const entities = envelope.data.length - caliperEvents.length;
    const results = caliperEvents.length
      ? await this.events.publishAll(
          p,
          caliperEvents.map((event) => ({ type: event.type, data: event, context: { ...context }, idempotencyKey: caliperEventKey(event.id), keyNames: 'event' as const })),
        )
      : [];
    const fresh = results.filter((r) => !r.replayed);
    const events = caliperEvents.length;
    const duplicates = events - fresh.length;
    const deliveries = fresh.reduce((sum, r) => sum + r.deliveries, 0);
    const message = [`${events} event(s) accepted`, ...(duplicates ? [`${duplicates} already received`] : []), ...(entities ? [`${entities} entity describe(s) not relayed`] : [])].join(', ');
    return { ...success(message), events, duplicates, entities, deliveries };
  }

  /** The gateway's own rules on a target URL and a signing secret, worded as the provider's zod does. */
  private checkedEndpoint(body: CaliperWebhookBody): NewEndpoint {
    const urlIssue = this.endpoints.urlProblem(body.targetUrl);
    if (urlIssue) throw webhookInvalid('targetUrl', 'url', urlIssue.replace(/^url\b/, 'targetUrl'), { validation: 'url' });
    const secretIssue = this.endpoints.signingKeyProblem(body.secret);
    if (secretIssue) throw webhookInvalid('secret', 'a secret that makes a non-empty signing key', secretIssue);
    return endpointInput(body);
  }

  private async webhook(p: Principal, endpoint: EndpointView): Promise<CaliperWebhook> {
    return toWebhook(endpoint, await this.endpoints.currentSecret(p, endpoint.id));
  }

  private endpoint(p: Principal, id: string): Promise<EndpointView> {
    return this.endpoints.get(p, id).catch(renamed(webhookNotFound(id)));
  }

  /** Caliper lists are not paginated, and answer oldest first. */
  private async allEndpoints(p: Principal): Promise<EndpointView[]> {
    return (await this.endpoints.listAll(p)).sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
  }

  private serially<T>(key: string, work: () => Promise<T>): Promise<T> {
    const run = (this.filterWrites.get(key) ?? Promise.resolve()).then(work);
    const settled = run.catch(() => undefined);
    this.filterWrites.set(key, settled);
    void settled.then(() => this.filterWrites.get(key) === settled && this.filterWrites.delete(key));
    return run;
  }
}

/**
 * The idempotency key of a Caliper event: its id, hashed to fit the key column (ids may be 2048
 * characters), under a prefix of its own so it never meets a key a /v1 publisher chose.
 */
const caliperEventKey = (eventId: string): string => `caliper-event:${createHash('sha256').update(eventId).digest('hex')}`;

/** A filter that cannot work is refused before it is stored. */
function checkFilter(input: CaliperFilterBody): void {
  const problem = filterProblem(input);
  if (problem) throw filterInvalid(problem.field, problem.message);
}

/** The core's "Endpoint … not found" in Caliper words; anything else is rethrown as is. */
function renamed(replacement: NotFoundError): (err: unknown) => never {
  return (err) => {
    throw err instanceof NotFoundError ? replacement : err;
  };
}
