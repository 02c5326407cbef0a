import { Injectable } from '@nestjs/common';
import { AppConfig, BadRequestError, ConflictError, EndpointsService, NotFoundError } from '../../src/sdk';
import type { EndpointChange, EndpointView, Principal, TenantScope } from '../../src/sdk';
import { parseGenericWebhook } from './generic-webhook.input';
import { hookKind, isAlertHook, toEndpointInput } from './generic.mapper';

export const GENERIC_PLUGIN_KEY = 'generic';

/** The provider answers 400, not 404, when there is no webhook to change. */
const webhookNotFound = () => new BadRequestError('Webhook not found');

/**
 * The account model of this surface: a tenant (the token's) has at most one data hook and one
 * alert hook, addressed by `isAlertHook` rather than by id.
 */
@Injectable()
export class GenericWebhooksService {
  constructor(
    private readonly endpoints: EndpointsService,
    private readonly config: AppConfig,
  ) {}

  async create(principal: Principal, body: unknown): Promise<void> {
    const input = parseGenericWebhook(body, this.config);
    await this.endpoints.create(scopeOf(principal), { tenant: principal.tenant, ...toEndpointInput(input) });
  }

  async update(principal: Principal, body: unknown): Promise<void> {
    const input = parseGenericWebhook(body, this.config);
    const hook = await this.find(principal, input.isAlertHook);
    await this.endpoints.update(scopeOf(principal), hook.id, toEndpointInput(input)).catch(notFoundAsBadRequest);
  }

  async list(principal: Principal): Promise<EndpointView[]> {
    return (await this.endpoints.list(scopeOf(principal), { limit: 100 })).data;
  }

  async remove(principal: Principal, alert: boolean): Promise<void> {
    const hook = await this.find(principal, alert);
    await this.endpoints.remove(scopeOf(principal), hook.id).catch(notFoundAsBadRequest);
  }

  private async find(principal: Principal, alert: boolean): Promise<EndpointView> {
    const hook = (await this.list(principal)).find((e) => isAlertHook(e) === alert);
    if (!hook) throw webhookNotFound();
    return hook;
  }
}

/**
 * One data hook and one alert hook per account, whichever surface creates or changes them (/v1
 * included): the core runs this under a per-tenant lock, so two concurrent POSTs cannot both pass.
 */
export function genericEndpointRules({ endpoint, siblings }: EndpointChange): void {
  const alert = isAlertHook(endpoint);
  if (siblings.some((hook) => isAlertHook(hook) === alert)) {
    throw new ConflictError(`This account already has ${hookKind(alert)}; use PUT /generic/webhooks to update it`);
  }
}

/** Every caller, admins included, manages the hooks of its own token's tenant on this surface. */
function scopeOf(principal: Principal): TenantScope {
  return { actor: principal.subject, tenant: principal.tenant, plugin: GENERIC_PLUGIN_KEY };
}

/** A hook deleted between the lookup and the change reads as "not found", like no hook at all. */
function notFoundAsBadRequest(err: unknown): never {
  throw err instanceof NotFoundError ? webhookNotFound() : err;
}
