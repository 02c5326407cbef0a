import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Access } from '../../auth/access.decorator';
import { CurrentPrincipal, Principal } from '../../auth/principal';
import { Scope as S } from '../../auth/scopes';
import { CoreOperation } from '../../common/api-docs';
import { TenantQueryDto } from '../../common/list-query.dto';
import { coreScope } from '../../endpoints/core-scope';
import { EndpointStats, GatewayStats, StatsService } from './stats.service';

class HealthFiguresDto {
  @ApiProperty() attempts: number;
  @ApiProperty({ description: 'Attempts answered 2xx' }) succeeded: number;
  @ApiProperty({ description: 'Attempts with any other outcome (status, timeout, connection error)' }) failed: number;
}

class HealthTotalsDto extends HealthFiguresDto {
  @ApiProperty({ nullable: true, type: Number, minimum: 0, maximum: 1, description: 'succeeded / attempts; null without attempts' }) successRate: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Median attempt duration (nearest rank)' }) p50LatencyMs: number | null;
  @ApiProperty({ nullable: true, type: Number, description: '95th percentile attempt duration (nearest rank)' }) p95LatencyMs: number | null;
}

class HealthBucketDto extends HealthFiguresDto {
  @ApiProperty({ format: 'date-time', description: 'Start of the hour' }) start: string;
  @ApiProperty({ nullable: true, type: Number }) p95LatencyMs: number | null;
}

export class EndpointStatsDto {
  @ApiProperty() endpointId: string;
  @ApiProperty({ enum: ['24h'] }) window: '24h';
  @ApiProperty({ format: 'date-time', description: 'Start of the first bucket (23 whole hours before the current one)' }) since: string;
  @ApiProperty({ format: 'date-time' }) until: string;
  @ApiProperty({ type: HealthTotalsDto }) totals: HealthTotalsDto;
  @ApiProperty({ type: [HealthBucketDto], description: '24 hourly buckets, oldest first; the last is the current hour' }) buckets: HealthBucketDto[];
  @ApiProperty() enabled: boolean;
  @ApiProperty({ nullable: true, type: String, description: 'Why the delivery engine disabled it' }) disabledReason: string | null;
}

class DeliveriesByStatusDto {
  @ApiProperty() pending: number;
  @ApiProperty() held: number;
  @ApiProperty() succeeded: number;
  @ApiProperty() failed: number;
  @ApiProperty() dead: number;
}

class FailingEndpointDto {
  @ApiProperty() endpointId: string;
  @ApiProperty() url: string;
  @ApiProperty() tenant: string;
  @ApiProperty({ nullable: true, type: String }) plugin: string | null;
  @ApiProperty() failedAttempts24h: number;
  @ApiProperty() attempts24h: number;
  @ApiProperty({ nullable: true, type: Number, minimum: 0, maximum: 1 }) successRate: number | null;
}

export class GatewayStatsDto {
  @ApiProperty({ type: DeliveriesByStatusDto, description: 'Every delivery kept (within retention)' }) deliveriesByStatus: DeliveriesByStatusDto;
  @ApiProperty({ type: [FailingEndpointDto], description: 'Up to 10 endpoints with the most failed attempts in the last 24 h (none without failures)' })
  failingEndpoints: FailingEndpointDto[];
}

@ApiTags('core')
@Controller('v1')
export class StatsController {
  constructor(private readonly stats: StatsService) {}

  @Get('webhooks/:id/stats')
  @Access({ scopes: [S.WebhooksRead, S.WebhooksWrite, S.DeliveriesRead] })
  @CoreOperation('getWebhookStats', "An endpoint's health over the last 24 h in hourly buckets", [400, 401, 403, 404])
  @ApiOkResponse({ type: EndpointStatsDto })
  endpoint(@Param('id') id: string, @Query() q: TenantQueryDto, @CurrentPrincipal() p: Principal): Promise<EndpointStats> {
    return this.stats.endpoint(coreScope(p, q.tenant), id);
  }

  @Get('stats')
  @Access({ scopes: [S.DeliveriesRead] })
  @CoreOperation('getStats', 'Deliveries by status and the endpoints failing most over 24 h (filter by tenant)', [400, 401, 403])
  @ApiOkResponse({ type: GatewayStatsDto })
  gateway(@Query() q: TenantQueryDto, @CurrentPrincipal() p: Principal): Promise<GatewayStats> {
    return this.stats.gateway(coreScope(p, q.tenant));
  }
}
