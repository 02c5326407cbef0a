import type { DestinationStream } from 'pino';
import { DynamicModule, Global, Injectable, Logger, Module, OnApplicationShutdown, Provider } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from './config/app-config';
import { AuditService } from './audit/audit.service';
import { PrincipalsService } from './auth/principals.service';
import { MemoryRateCounters, RateCounters } from './auth/rate-counters';
import { SecretBox } from './common/secret-box';
import { DeliveriesService } from './delivery/api/deliveries.service';
import { DeliveryQueue } from './delivery/queue/delivery-queue';
import { DeliveryStore } from './delivery/store/delivery-store';
import { AutoDisableListener } from './delivery/engine/auto-disable-listener';
import { DeliveryProcessor } from './delivery/engine/delivery-processor';
import { EmbeddedDeliveryQueue } from './delivery/queue/embedded-delivery-queue';
import { HttpSender } from './delivery/http/http-sender';
import { OutboxPoller } from './delivery/engine/outbox-poller';
import { RateLimiter } from './delivery/engine/rate-limiter';
import { createGuardedAgent } from './delivery/http/ssrf';
import { DeliveryWakeup } from './delivery/engine/delivery-wakeup';
import { DeliveryHandoff } from './delivery/engine/delivery-handoff';
import { EndpointsService } from './endpoints/endpoints.service';
import { EventsService } from './events/events.service';
import { PluginRecordsService } from './plugin-records/plugin-records.service';
import { OperatorEventPublisher } from './events/operator-event-publisher';
import { EmbeddedQueueHealth, QueueHealth } from './health/queue-health';
import { MetricsService } from './metrics/metrics.service';
import { openDataSource } from './persistence/data-source';
import { Database } from './persistence/database';
import { PluginRegistry } from './plugins-host/plugin-registry';
import { queueDriverProviders } from './delivery/queue/queue-driver';
import { RetentionSweeper } from './retention/retention-sweeper';
import { RetentionService } from './retention/retention.service';
import { IdempotentResponses } from './idempotency/idempotent-responses.service';
import { stopTracing } from './observability/tracing';

export interface CoreOverrides {
  /** Replaces the outbound HTTP sender (tests inject a DNS failure this way). */
  sender?: HttpSender;
  /** Extra providers, e.g. a queue driver replacing DeliveryQueue/QueueHealth. */
  providers?: Provider[];
  /** Where the gateway's log lines go instead of stdout (tests read them). */
  logDestination?: DestinationStream;
}

/** Closes the database last, then exports the spans still buffered (deliveries drained before). */
@Injectable()
class CoreLifecycle implements OnApplicationShutdown {
  constructor(private readonly db: Database) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.db.dataSource.isInitialized) await this.db.dataSource.destroy();
    await stopTracing();
  }
}

/** Every core service, global so plugin modules can inject the SDK facades. */
@Global()
@Module({})
export class CoreModule {
  static forRoot(config: AppConfig, registry: PluginRegistry, overrides: CoreOverrides = {}): DynamicModule {
    const exported = [AppConfig, PluginRegistry, Database, EndpointsService, EventsService, DeliveriesService, PluginRecordsService, PrincipalsService, AuditService, MetricsService, DeliveryQueue, QueueHealth, DeliveryWakeup, DeliveryStore, DeliveryProcessor, SecretBox, RateCounters, IdempotentResponses];
    return {
      module: CoreModule,
      providers: [
        { provide: AppConfig, useValue: config },
        { provide: PluginRegistry, useValue: registry },
        {
          provide: Database,
          useFactory: async () => {
            new Logger('Database').log(`opening ${config.DATABASE_URL.replace(/\/\/[^@/]*@/, '//***@')}`);
            return new Database(await openDataSource(config.DATABASE_URL, config.DATABASE_BUSY_TIMEOUT_MS), config.DATABASE_BUSY_TIMEOUT_MS);
          },
        },
        { provide: DataSource, useFactory: (db: Database) => db.dataSource, inject: [Database] },
        { provide: SecretBox, useFactory: () => new SecretBox(config.HOOKGATE_ENCRYPTION_KEY!, config.HOOKGATE_ENCRYPTION_KEY_PREVIOUS) },
        DeliveryWakeup,
        DeliveryHandoff,
        { provide: DeliveryQueue, useFactory: (w: DeliveryWakeup) => new EmbeddedDeliveryQueue(w), inject: [DeliveryWakeup] },
        { provide: QueueHealth, useClass: EmbeddedQueueHealth },
        {
          provide: HttpSender,
          // No more connections to one receiver than attempts can run at once: undici opened up to twice
          // as many under a fan-out (a connection is not free yet when the next attempt is dispatched), each a TLS handshake.
          useFactory: () =>
            overrides.sender ??
            new HttpSender(createGuardedAgent({ allowPrivateNetworks: config.DELIVERY_ALLOW_PRIVATE_NETWORKS, allowedCidrs: config.DELIVERY_ALLOWED_CIDRS }, { connections: config.DELIVERY_CONCURRENCY })),
        },
        RateLimiter,
        { provide: RateCounters, useClass: MemoryRateCounters },
        AuditService,
        EndpointsService,
        EventsService,
        DeliveriesService,
        PluginRecordsService,
        PrincipalsService,
        MetricsService,
        DeliveryStore,
        DeliveryProcessor,
        { provide: AutoDisableListener, useClass: OperatorEventPublisher },
        OutboxPoller,
        RetentionService,
        IdempotentResponses,
        RetentionSweeper,
        CoreLifecycle,
        ...(config.QUEUE_URL ? queueDriverProviders() : []),
        ...(overrides.providers ?? []),
      ],
      exports: exported,
    };
  }
}
