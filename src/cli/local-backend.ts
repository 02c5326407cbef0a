import { INestApplicationContext, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { userInfo } from 'node:os';
import pino from 'pino';
import { AppModule } from '../app.module';
import { Principal } from '../auth/principal';
import { PrincipalsService } from '../auth/principals.service';
import { Scope } from '../auth/scopes';
import { createLogger, PinoNestLogger } from '../common/logger';
import { AppConfig } from '../config/app-config';
import { ensureSecrets } from '../config/generated-secrets';
import { DeliveriesService } from '../delivery/api/deliveries.service';
import { coreScope } from '../endpoints/core-scope';
import { toWebhookDto } from '../endpoints/webhook.mapper';
import { WebhooksService } from '../endpoints/webhooks.service';
import { Backend } from './backend';

/**
 * Quiet unless LOG_LEVEL is set: then the retries, replays and revocations a command makes are
 * logged as the gateway logs them (role `cli`), on stderr since stdout is the command's output.
 */
function operatorLogger(config: AppConfig): PinoNestLogger | false {
  if (!config.environment.LOG_LEVEL) return false;
  const format = config.LOG_FORMAT ?? (process.stderr.isTTY ? 'pretty' : 'json');
  return new PinoNestLogger(createLogger({ level: config.LOG_LEVEL, format, role: 'cli', destination: pino.destination({ fd: 2, sync: true }) }));
}

/**
 * The gateway's own services over the local database, without HTTP: the services and mappers
 * the /v1 controllers call, so checks, tenancy, masking and audit are the API's. ROLE is forced
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
    const app = await NestFactory.createApplicationContext(AppModule.forRoot(config, plugins), { logger: operatorLogger(config), abortOnError: false });
    // The audit log names the operator's OS account, so a CLI change is traceable to a person.
    const operator: Principal = { kind: 'token', subject: `cli:${userInfo().username}`, tenant: 'hookgate', scopes: [Scope.Admin], orgRoles: {}, claims: {} };
    return new LocalBackend(app, operator, config);
  }

  /** One of the gateway's services, for the commands that exist only locally (purge, rekey). */
  service<T>(type: Type<T>): T {
    return this.app.get(type);
  }

  private get principals(): PrincipalsService {
    return this.app.get(PrincipalsService);
  }

  private get webhooks(): WebhooksService {
    return this.app.get(WebhooksService);
  }

  private get deliveries(): DeliveriesService {
    return this.app.get(DeliveriesService);
  }

  createClient: Backend['createClient'] = (input) => this.principals.createClient(this.operator.subject, input);
  listClients: Backend['listClients'] = () => this.principals.listClients();
  revokeClient: Backend['revokeClient'] = (id) => this.principals.revokeClient(this.operator.subject, id);
  createApiKey: Backend['createApiKey'] = (input) => this.principals.createApiKey(this.operator.subject, input);
  revokeApiKey: Backend['revokeApiKey'] = (id) => this.principals.revokeApiKey(this.operator.subject, id);
  getDelivery: Backend['getDelivery'] = (id) => this.deliveries.get(coreScope(this.operator), id);
  retryDelivery: Backend['retryDelivery'] = (id) => this.deliveries.retry(coreScope(this.operator), id);
  listDeliveries: Backend['listDeliveries'] = (filter) => this.deliveries.list(coreScope(this.operator), filter);

  listEndpoints: Backend['listEndpoints'] = async (query) => {
    const endpoints = await this.webhooks.list(this.operator, query);
    return { ...endpoints, data: endpoints.data.map(toWebhookDto) };
  };

  async close(): Promise<void> {
    await this.app.close();
  }
}
