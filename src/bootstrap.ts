import { Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { AppModule } from './app.module';
import { AppConfig } from './config/app-config';
import { ensureSecrets } from './config/generated-secrets';
import { registerBodyParsers } from './common/body-parsers';
import { createLogger, PinoNestLogger } from './common/logger';
import { SurfaceExceptionFilter } from './common/surface-exception.filter';
import { createValidationPipe } from './common/validation';
import { CoreOverrides } from './core.module';
import { mountOpenApi } from './openapi/document';
import { PluginRegistry } from './plugins-host/plugin-registry';
import { traceRequests } from './observability/server-spans';
import { logTracingDiagnostics, tracingEnabled } from './observability/tracing';

export const BODY_LIMIT = 1024 * 1024;

/** Builds the gateway (not yet listening): used by main.ts, the CLI and the e2e tests alike. */
export async function createApp(config: AppConfig, plugins: Type[], overrides: CoreOverrides = {}): Promise<NestFastifyApplication> {
  const log = createLogger({ level: config.LOG_LEVEL, format: config.LOG_FORMAT, role: config.ROLE, destination: overrides.logDestination });
  ensureSecrets(config, (msg) => log.warn(msg));
  const adapter = new FastifyAdapter({
    loggerInstance: log,
    bodyLimit: BODY_LIMIT,
    genReqId: (req: { headers: Record<string, string | string[] | undefined> }) => String(req.headers['x-request-id'] ?? randomUUID()).slice(0, 128),
    requestIdHeader: false,
    trustProxy: config.trustProxy,
    // `/x` and `/x/` are one route (providers such as Caliper document collections with the slash).
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 2048 },
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, plugins, overrides), adapter, {
    logger: new PinoNestLogger(log),
    bodyParser: false,
  });
  const fastify = app.getHttpAdapter().getInstance();
  registerBodyParsers(fastify, BODY_LIMIT);
  if (tracingEnabled()) {
    logTracingDiagnostics(log);
    traceRequests(fastify);
  }
  fastify.addHook('onSend', async (req, reply) => {
    void reply.header('x-request-id', req.id);
  });
  const filter = new SurfaceExceptionFilter(app.get(PluginRegistry));
  app.useGlobalFilters(filter);
  app.useGlobalPipes(createValidationPipe());
  await app.init();
  mountOpenApi(app, config);
  // SIGTERM is an orderly stop (in-flight deliveries finish): exit 0 rather than re-raising the signal.
  app.enableShutdownHooks([], { useProcessExit: true });
  return app;
}
