import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Access } from '../auth/access.decorator';
import { AppConfig } from '../config/app-config';
import { MetricsService } from '../metrics/metrics.service';
import { Database } from '../persistence/database';
import { QueueHealth } from './queue-health';

@ApiTags('operations')
@Controller()
export class HealthController {
  constructor(
    private readonly db: Database,
    private readonly queue: QueueHealth,
    private readonly metrics: MetricsService,
    private readonly config: AppConfig,
  ) {}

  @Get('health')
  @Access({ public: true })
  @ApiOperation({ operationId: 'health', summary: 'Liveness and dependencies (database, queue); 503 when one is down' })
  @ApiOkResponse({ schema: { type: 'object', properties: { status: { type: 'string', enum: ['ok'] }, checks: { type: 'object', additionalProperties: { type: 'string' } } } } })
  @ApiResponse({ status: 503, description: 'A dependency is down', schema: { type: 'object', properties: { status: { type: 'string', enum: ['unavailable'] }, checks: { type: 'object', additionalProperties: { type: 'string' } } } } })
  async health(@Res() reply: FastifyReply): Promise<void> {
    const checks: Record<string, string> = { role: this.config.ROLE };
    let ok = true;
    try {
      await this.db.manager.query('SELECT 1');
      checks.database = 'up';
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
