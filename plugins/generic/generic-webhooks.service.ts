import { Injectable } from '@nestjs/common';
import { BadRequestError, ConflictError, NotFoundError, PluginEndpoints, ValidationFailedError } from '../../src/sdk';
import type { EndpointChange, EndpointView, Principal } from '../../src/sdk';
import type { GenericWebhookInput } from './generic.schemas';
import { hookKind, isAlertHook, toEndpointInput } from './generic.mapper';

/** The provider answers 400, not 404, when there is no webhook to change. */
const webhookNotFound = () => new BadRequestError('Webhook not found');

/**
 * The account model of this surface: a tenant (the token's) has at most one data hook and one
 * alert hook, addressed by `isAlertHook` rather than by id.
 */
@Injectable()
export class GenericWebhooksService {
  constructor(private readonly endpoints: PluginEndpoints) {}

  async create(principal: Principal, input: GenericWebhookInput): Promise<void> {
    this.checkUrl(input.endpoint);
    await this.endpoints.create(principal, toEndpointInput(input));
  }

  async update(principal: Principal, input: GenericWebhookInput): Promise<void> {
    this.checkUrl(input.endpoint);
    const hook = await this.find(principal, input.isAlertHook);
    await this.endpoints.update(principal, hook.id, toEndpointInput(input)).catch(notFoundAsBadRequest);
  }

  /**
   * The hooks of the caller's own account, admins included: this surface names no tenant, and an
   * admin's listing spans every tenant.
   */
  async list(principal: Principal): Promise<EndpointView[]> {
    return (await this.endpoints.listAll(principal)).filter((hook) => hook.tenant === principal.tenant);
  }

  async remove(principal: Principal, alert: boolean): Promise<void> {
    const hook = await this.find(principal, alert);
    await this.endpoints.remove(principal, hook.id).catch(notFoundAsBadRequest);
  }

  private async find(principal: Principal, alert: boolean): Promise<EndpointView> {
    const hook = (await this.list(principal)).find((e) => isAlertHook(e) === alert);
    if (!hook) throw webhookNotFound();
    return hook;
  }

  /** The core's URL policy, in this surface's words: the core speaks of `url`, this surface's field is `endpoint`. */
  private checkUrl(endpoint: string): void {
    const problem = this.endpoints.urlProblem(endpoint);
    if (problem === null) return;
    const message = problem === 'url must be an absolute http(s) URL' ? 'endpoint must be a valid URL' : problem.replace(/^url /, 'endpoint ');
    throw new ValidationFailedError([{ path: ['endpoint'], code: 'url', message }]);
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

/** A hook deleted between the lookup and the change reads as "not found", like no hook at all. */
function notFoundAsBadRequest(err: unknown): never {
  throw err instanceof NotFoundError ? webhookNotFound() : err;
}
