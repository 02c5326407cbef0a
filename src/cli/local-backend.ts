import { INestApplicationContext, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { userInfo } from 'node:os';
import { AppModule } from '../app.module';
import { AdminController } from '../auth/admin.controller';
import { Principal } from '../auth/principal';
import { Scope } from '../auth/scopes';
import { AppConfig } from '../config/app-config';
import { ensureSecrets } from '../config/generated-secrets';
import { DeliveriesController } from '../delivery/api/deliveries.controller';
import { WebhooksController } from '../endpoints/webhooks.controller';
import { Backend } from './backend';

/**
 * The gateway's own services over the local database, without HTTP. Calls go through the core
 * controllers, so validation, tenancy, masking and audit are exactly the API's. ROLE is forced
 * to `api`: the CLI never dispatches deliveries itself, a running worker sends what it queues.
 */
export class LocalBackend implements Backend {
  private constructor(
    private readonly app: INestApplicationContext,
    readonly operator: Principal,
    readonly config: AppConfig,
  ) {}

  static async open(config: AppConfig, plugins: Type[], warn: (msg: string) => void): Promise<LocalBackend> {
    config.ROLE = 'api';
    ensureSecrets(config, warn);
    const app = await NestFactory.createApplicationContext(AppModule.forRoot(config, plugins), { logger: false, abortOnError: false });
    // The audit log names the operator's OS account, so a CLI change is traceable to a person.
    const operator: Principal = { kind: 'token', subject: `cli:${userInfo().username}`, tenant: 'hookgate', scopes: [Scope.Admin], orgRoles: {}, claims: {} };
    return new LocalBackend(app, operator, config);
  }

  /** One of the gateway's services, for the commands that exist only locally (purge, rekey). */
  service<T>(type: Type<T>): T {
    return this.app.get(type);
  }

  private get admin(): AdminController {
    return this.app.get(AdminController);
  }

  private get webhooks(): WebhooksController {
    return this.app.get(WebhooksController);
  }

  private get deliveries(): DeliveriesController {
    return this.app.get(DeliveriesController);
  }

  createClient: Backend['createClient'] = (input) => this.admin.createClient(input, this.operator);
  listClients: Backend['listClients'] = async () => (await this.admin.listClients()).data;
  revokeClient: Backend['revokeClient'] = (id) => this.admin.revokeClient(id, this.operator);
  createApiKey: Backend['createApiKey'] = (input) => this.admin.createApiKey(input, this.operator);
  revokeApiKey: Backend['revokeApiKey'] = (id) => this.admin.revokeApiKey(id, this.operator);
  getDelivery: Backend['getDelivery'] = (id) => this.deliveries.get(id, this.operator);
  retryDelivery: Backend['retryDelivery'] = (id) => this.deliveries.retry(id, this.operator);
  listDeliveries: Backend['listDeliveries'] = (filter) => this.deliveries.list(filter, this.operator);

  listEndpoints: Backend['listEndpoints'] = ({ tenant, ...page }) => {
    // A reader of that tenant sees exactly its endpoints; the operator sees every tenant.
    const reader: Principal = tenant === undefined ? this.operator : { ...this.operator, tenant, scopes: [Scope.WebhooksRead] };
    return this.webhooks.list(page, reader);
  };

  async close(): Promise<void> {
    await this.app.close();
  }
}
