import { applyDecorators, Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Access } from '../auth/access.decorator';
import { MetricsService } from '../metrics/metrics.service';
import { Readiness } from './readiness';

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
    private readonly readiness: Readiness,
    private readonly metrics: MetricsService,
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
    const report = await this.readiness.check();
    void reply.status(report.status === 'ok' ? 200 : 503).send(report);
  }

  @Get('metrics')
  @Access({ public: true })
  @ApiOperation({ operationId: 'metrics', summary: 'Prometheus metrics (deliveries, attempt durations, queue depth)' })
  @ApiOkResponse({ content: { 'text/plain': { schema: { type: 'string' } } } })
  async prometheus(@Res() reply: FastifyReply): Promise<void> {
    void reply.header('content-type', this.metrics.registry.contentType).send(await this.metrics.registry.metrics());
  }
}
