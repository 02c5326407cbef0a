import { DynamicModule, Module, Type } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { APP_GUARD, DiscoveryModule, RouterModule } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { ThrottlerModule } from '@nestjs/throttler';
import { AppConfig, ConfigError } from './config/app-config';
import { AuditController } from './audit/audit.controller';
import { AccessGuard } from './auth/access.guard';
import { AdminController } from './auth/admin.controller';
import { JwtStrategy } from './auth/jwt.strategy';
import { OAuthController } from './auth/oauth.controller';
import { CoreModule, CoreOverrides } from './core.module';
import { DeliveriesController } from './delivery/api/deliveries.controller';
import { StatsController } from './delivery/api/stats.controller';
import { StatsService } from './delivery/api/stats.service';
import { WebhooksController } from './endpoints/webhooks.controller';
import { EventsController } from './events/events.controller';
import { HealthController } from './health/health.controller';
import { CatalogueController } from './plugins-host/catalogue.controller';
import { CORE_SURFACE, PluginRegistry } from './plugins-host/plugin-registry';
import { AccessAudit } from './auth/access-audit';
import { RateCounters } from './auth/rate-counters';
import { RequestRateLimitGuard, requestThrottlerOptions } from './auth/request-rate-limit';
import { TokenFailureLimit } from './auth/token-failure-limit';
import { OAuthTokenService } from './auth/oauth-token.service';
import { WebhooksService } from './endpoints/webhooks.service';
import { Readiness } from './health/readiness';
import { ConsoleModule } from './console/console.module';

export const CORE_CONTROLLERS = [WebhooksController, EventsController, DeliveriesController, StatsController, CatalogueController, AuditController, AdminController, OAuthController, HealthController];

/**
 * The composition root: the core plus the enabled plugin modules, each mounted under its
 * routePrefix. Plugins are passed in (production: plugins/index.ts; tests: fixtures).
 */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig, pluginModules: Type[], overrides: CoreOverrides = {}): DynamicModule {
    const registry = new PluginRegistry(pluginModules, config.PLUGINS, config.environment, Object.keys(new AppConfig()));
    checkIssuerSurfaces(config, registry);
    const enabled = registry.all();
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [() => ({ hookgate: config })] }),
        CoreModule.forRoot(config, registry, overrides),
        PassportModule,
        ThrottlerModule.forRootAsync({ inject: [AppConfig, PluginRegistry, RateCounters], useFactory: requestThrottlerOptions }),
        DiscoveryModule,
        ConsoleModule,
        ...enabled.map((p) => p.moduleClass as Type),
        RouterModule.register(enabled.map((p) => ({ path: p.metadata.routePrefix, module: p.moduleClass as Type }))),
      ],
      controllers: CORE_CONTROLLERS,
      // Guards run in this order: the access guard establishes the principal the limit counts against.
      providers: [JwtStrategy, AccessAudit, TokenFailureLimit, OAuthTokenService, WebhooksService, StatsService, Readiness, { provide: APP_GUARD, useClass: AccessGuard }, { provide: APP_GUARD, useClass: RequestRateLimitGuard }],
    };
  }
}

/** An issuer's `plugins` may name any declared plugin (enabled or not) and `core`; a typo would silently lock its users out. */
function checkIssuerSurfaces(config: AppConfig, registry: PluginRegistry): void {
  const known = [CORE_SURFACE, ...registry.declaredKeys];
  config.externalIssuers.forEach((issuer, i) => {
    const unknown = issuer.plugins?.find((key) => !known.includes(key));
    if (unknown !== undefined) throw new ConfigError(`Invalid configuration: AUTH_ISSUERS[${i}].plugins names unknown plugin "${unknown}" (known: ${known.join(', ')})`);
  });
}
