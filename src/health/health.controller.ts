import { applyDecorators, Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Access } from '../auth/access.decorator';
import { AppConfig } from '../config/app-config';
import { MetricsService } from '../metrics/metrics.service';
import { Database } from '../persistence/database';
import { QueueHealth } from './queue-health';

const checksSchema = (status: string) => ({ type: 'object' as const, properties: { status: { type: 'string', enum: [status] }, checks: { type: 'object', additionalProperties: { type: 'string' } } } });

/** /health and /health/ready answer alike. */
const ReadinessResponses = () =>
  applyDecorators(
    ApiOkResponse({ schema: checksSchema('ok') }),
    ApiResponse({ status: 503, description: 'A dependency is down or a migration is pending', schema: checksSchema('unavailable') }),
  );

@ApiTags('operations')
@Controller()
export class HealthController {
  constructor(
    private readonly db: Database,
    private readonly queue: QueueHealth,
    private readonly metrics: MetricsService,
    private readonly config: AppConfig,
  ) {}

  @Get('health/live')
  @Access({ public: true })
  @ApiOperation({ operationId: 'healthLive', summary: 'Liveness: the process answers (checks nothing else, so a slow database never restarts it)' })
  @ApiOkResponse({ schema: { type: 'object', properties: { status: { type: 'string', enum: ['ok'] } } } })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('health/ready')
  @Access({ public: true })
  @ApiOperation({ operationId: 'healthReady', summary: 'Readiness: database reachable, migrations applied, queue (Redis when configured) up; 503 when not' })
  @ReadinessResponses()
  async ready(@Res() reply: FastifyReply): Promise<void> {
    await this.sendReadiness(reply);
  }

  @Get('health')
  @Access({ public: true })
  @ApiOperation({ operationId: 'health', summary: 'Same as /health/ready: database, migrations and queue; 503 when one is down' })
  @ReadinessResponses()
  async health(@Res() reply: FastifyReply): Promise<void> {
    await this.sendReadiness(reply);
  }

  private async sendReadiness(reply: FastifyReply): Promise<void> {
    const checks: Record<string, string> = { role: this.config.ROLE };
    let ok = true;
    try {
      await this.db.manager.query('SELECT 1');
      checks.database = 'up';
      // showMigrations() answers true when a migration has not run yet.
      const pending = await this.db.dataSource.showMigrations();
      checks.migrations = pending ? 'pending' : 'applied';
      ok = !pending;
    } catch {
      checks.database = 'down';
      ok = false;
    }
    const queue = await this.queue.check();
    checks.queue = queue.status;
    ok &&= queue.ok;
    void reply.status(ok ? 200 : 503).send({ status: ok ? 'ok' : 'unavailable', checks });
  }

  @Get('metrics')
  @Access({ public: true })
  @ApiOperation({ operationId: 'metrics', summary: 'Prometheus metrics (deliveries, attempt durations, queue depth)' })
  @ApiOkResponse({ content: { 'text/plain': { schema: { type: 'string' } } } })
  async prometheus(@Res() reply: FastifyReply): Promise<void> {
    void reply.header('content-type', this.metrics.registry.contentType).send(await this.metrics.registry.metrics());
  }
}
