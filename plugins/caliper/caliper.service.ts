import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { AppConfig, EndpointsService, EventsService, NotFoundError, signingKeyProblem, tenantScope, urlProblem, uuidv7, ValidationFailedError } from '../../src/sdk';
import type { EndpointView, Principal, TenantScope } from '../../src/sdk';
import { CALIPER_PLUGIN_KEY } from './caliper.catalogue';
import { filterBody, isEntityDescribe, sensorEnvelope, webhookBody } from './caliper.dto';
import {
  CaliperEnvelope,
  CaliperFilter,
  CaliperFilterBody,
  CaliperWebhook,
  CaliperWebhookBody,
  endpointInput,
  eventContext,
  filtersOf,
  newFilter,
  replacedFilter,
  toWebhook,
} from './caliper.mapper';
import { parse, ZodIssue } from './caliper.validation';
import { filterProblem } from './filters';

export interface StatusEnvelope {
  status: 'success' | 'error';
  message: string;
  errors: Record<string, string> | null;
}

export interface IngestResult extends StatusEnvelope {
  events: number;
  /** Events whose id the tenant sent within the last 24 h: accepted, not fanned out again. */
  duplicates: number;
  /** Entity describes in the envelope: validated, acknowledged, not relayed. */
  entities: number;
  deliveries: number;
}

export const MAX_FILTERS_PER_WEBHOOK = 100;
const PAGE = 100;
const FILTER_400 = 'Invalid filter data';

const success = (message: string): StatusEnvelope => ({ status: 'success', message, errors: null });
const webhookNotFound = (id: string) => new NotFoundError(`Webhook ${id} not found`);
const filterNotFound = (id: string) => new NotFoundError(`Webhook filter ${id} not found`);
const webhookInvalid = (issue: ZodIssue) => new ValidationFailedError([issue], 'Invalid request data');
const filterInvalid = (field: string, message: string) => new ValidationFailedError([{ path: [field], code: 'custom', message }], FILTER_400);

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
    private readonly endpoints: EndpointsService,
    private readonly events: EventsService,
    private readonly config: AppConfig,
  ) {}

  async listWebhooks(p: Principal): Promise<CaliperWebhook[]> {
    const scope = scopeOf(p);
    return Promise.all((await this.allEndpoints(scope)).map((e) => this.webhook(scope, e)));
  }

  async createWebhook(p: Principal, body: unknown): Promise<CaliperWebhook> {
    const input = this.webhookInput(body);
    const { endpoint, secret } = await this.endpoints.create(scopeOf(p), { ...endpointInput(input), tenant: p.tenant, secret: input.secret });
    return toWebhook(endpoint, secret);
  }

  async getWebhook(p: Principal, id: string): Promise<CaliperWebhook> {
    const scope = scopeOf(p);
    return this.webhook(scope, await this.endpoint(scope, id));
  }

  /** PUT is a full replace, the secret included. */
  async replaceWebhook(p: Principal, id: string, body: unknown): Promise<CaliperWebhook> {
    const input = this.webhookInput(body);
    const endpoint = await this.endpoints.update(scopeOf(p), id, { ...endpointInput(input), secret: input.secret }).catch(renamed(webhookNotFound(id)));
    return toWebhook(endpoint, input.secret);
  }

  /** Soft delete: the webhook stops matching and its queued deliveries stop at once. */
  async deleteWebhook(p: Principal, id: string): Promise<StatusEnvelope> {
    await this.endpoints.remove(scopeOf(p), id).catch(renamed(webhookNotFound(id)));
    return success(`Webhook ${id} deleted`);
  }

  async setActive(p: Principal, id: string, active: boolean): Promise<CaliperWebhook> {
    const scope = scopeOf(p);
    return this.webhook(scope, await this.endpoints.setEnabled(scope, id, active).catch(renamed(webhookNotFound(id))));
  }

  async listFilters(p: Principal): Promise<CaliperFilter[]> {
    return (await this.allEndpoints(scopeOf(p))).flatMap(filtersOf);
  }

  async filtersOfWebhook(p: Principal, webhookId: string): Promise<CaliperFilter[]> {
    return filtersOf(await this.endpoint(scopeOf(p), webhookId));
  }

  async getFilter(p: Principal, id: string): Promise<CaliperFilter> {
    const scope = scopeOf(p);
    for (const endpoint of await this.allEndpoints(scope)) {
      const filter = filtersOf(endpoint).find((f) => f.id === id);
      if (filter) return filter;
    }
    throw filterNotFound(id);
  }

  async createFilter(p: Principal, body: unknown): Promise<CaliperFilter> {
    const input = this.filterInput(body);
    const scope = scopeOf(p);
    return this.serially(input.webhookId, async () => {
      const filters = filtersOf(await this.endpoint(scope, input.webhookId));
      if (filters.length >= MAX_FILTERS_PER_WEBHOOK) throw filterInvalid('webhookId', `a webhook has at most ${MAX_FILTERS_PER_WEBHOOK} filters`);
      const filter = newFilter(uuidv7(), input, Date.now());
      await this.endpoints.update(scope, input.webhookId, { filters: [...filters, filter] });
      return filter;
    });
  }

  /** PUT is a full replace; a filter stays on its webhook (create one on the other webhook instead). */
  async replaceFilter(p: Principal, id: string, body: unknown): Promise<CaliperFilter> {
    const input = this.filterInput(body);
    const scope = scopeOf(p);
    const { webhookId } = await this.getFilter(p, id);
    if (input.webhookId !== webhookId) throw filterInvalid('webhookId', 'webhookId cannot be changed; create the filter on the other webhook');
    return this.serially(webhookId, async () => {
      const filters = filtersOf(await this.endpoint(scope, webhookId));
      const current = filters.find((f) => f.id === id);
      if (!current) throw filterNotFound(id);
      const replaced = replacedFilter(current, input, Date.now());
      await this.endpoints.update(scope, webhookId, { filters: filters.map((f) => (f.id === id ? replaced : f)) });
      return replaced;
    });
  }

  async deleteFilter(p: Principal, id: string): Promise<StatusEnvelope> {
    const scope = scopeOf(p);
    const { webhookId } = await this.getFilter(p, id);
    await this.serially(webhookId, async () => {
      const filters = filtersOf(await this.endpoint(scope, webhookId));
      if (!filters.some((f) => f.id === id)) throw filterNotFound(id);
      await this.endpoints.update(scope, webhookId, { filters: filters.filter((f) => f.id !== id) });
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
  async ingest(p: Principal, body: unknown): Promise<IngestResult> {
    const envelope = parse<CaliperEnvelope>(sensorEnvelope, body);
    const context = eventContext(envelope);
    const caliperEvents = envelope.data.filter((item) => !isEntityDescribe(item)) as { id: string; type: string }[];
    const entities = envelope.data.length - caliperEvents.length;
    const results = caliperEvents.length
      ? await this.events.publishAll(
          caliperEvents.map((event) => ({
            tenant: p.tenant,
            plugin: CALIPER_PLUGIN_KEY,
            type: event.type,
            data: event,
            context: { ...context },
            idempotencyKey: caliperEventKey(event.id),
            keyNames: 'event' as const,
          })),
        )
      : [];
    const fresh = results.filter((r) => !r.replayed);
    const events = caliperEvents.length;
    const duplicates = events - fresh.length;
    const deliveries = fresh.reduce((sum, r) => sum + r.deliveries, 0);
    const message = [`${events} event(s) accepted`, ...(duplicates ? [`${duplicates} already received`] : []), ...(entities ? [`${entities} entity describe(s) not relayed`] : [])].join(', ');
    return { ...success(message), events, duplicates, entities, deliveries };
  }

  private webhookInput(body: unknown): CaliperWebhookBody {
    const input = parse<CaliperWebhookBody>(webhookBody, body);
    const urlIssue = urlProblem(input.targetUrl, this.config);
    if (urlIssue) throw webhookInvalid({ code: 'invalid_string', validation: 'url', expected: 'url', received: 'string', path: ['targetUrl'], message: urlIssue.replace(/^url\b/, 'targetUrl') });
    const secretIssue = signingKeyProblem(input.secret);
    if (secretIssue) throw webhookInvalid({ code: 'invalid_string', expected: 'a secret that makes a non-empty signing key', received: 'string', path: ['secret'], message: secretIssue });
    return input;
  }

  private filterInput(body: unknown): CaliperFilterBody {
    const input = parse<CaliperFilterBody>(filterBody, body, FILTER_400);
    const problem = filterProblem(input);
    if (problem) throw filterInvalid(problem.field, problem.message);
    return input;
  }

  private async webhook(scope: TenantScope, endpoint: EndpointView): Promise<CaliperWebhook> {
    return toWebhook(endpoint, await this.endpoints.currentSecret(scope, endpoint.id));
  }

  private endpoint(scope: TenantScope, id: string): Promise<EndpointView> {
    return this.endpoints.get(scope, id).catch(renamed(webhookNotFound(id)));
  }

  /** Caliper lists are not paginated: walk every page. */
  private async allEndpoints(scope: TenantScope): Promise<EndpointView[]> {
    const all: EndpointView[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.endpoints.list(scope, { limit: PAGE, cursor });
      all.push(...page.data);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return all.reverse();
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

function scopeOf(p: Principal): TenantScope {
  return { actor: p.subject, tenant: tenantScope(p), plugin: CALIPER_PLUGIN_KEY };
}

/** The core's "Endpoint … not found" in Caliper words; anything else is rethrown as is. */
function renamed(replacement: NotFoundError): (err: unknown) => never {
  return (err) => {
    throw err instanceof NotFoundError ? replacement : err;
  };
}
