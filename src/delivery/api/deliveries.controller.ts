import { Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { Access } from '../../auth/access.decorator';
import { CurrentPrincipal, Principal } from '../../auth/principal';
import { Scope as S } from '../../auth/scopes';
import { CoreOperation } from '../../common/api-docs';
import { PageCursorsDto, timeRangeOf, TimeRangeListQueryDto } from '../../common/list-query.dto';
import { coreScope } from '../../endpoints/core-scope';
import { DeliveriesService, DeliveryView, AttemptView } from './deliveries.service';

const STATUSES = ['pending', 'held', 'succeeded', 'failed', 'dead'] as const;

export class DeliveryQueryDto extends TimeRangeListQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) endpointId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) eventId?: string;
  @ApiPropertyOptional({ example: 'invoice.paid' }) @IsOptional() @IsString() @MaxLength(255) eventType?: string;
  @ApiPropertyOptional({ description: "The endpoint's plugin" }) @IsOptional() @IsString() @MaxLength(64) plugin?: string;
  @ApiPropertyOptional({ enum: STATUSES }) @IsOptional() @IsIn(STATUSES) status?: (typeof STATUSES)[number];
}

export class DeliveryDto {
  @ApiProperty() id: string;
  @ApiProperty() eventId: string;
  @ApiProperty({ example: 'invoice.paid' }) eventType: string;
  @ApiProperty() endpointId: string;
  @ApiProperty() tenant: string;
  @ApiProperty({ nullable: true, type: String }) plugin: string | null;
  @ApiProperty({ enum: STATUSES }) status: DeliveryView['status'];
  @ApiProperty() attemptCount: number;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) nextAttemptAt: string | null;
  @ApiProperty({ nullable: true, type: Number }) lastStatusCode: number | null;
  @ApiProperty({ nullable: true, type: String }) lastError: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

const HEADERS_SCHEMA = { type: 'object', additionalProperties: { type: 'string' } } as const;

export class AttemptRequestDto {
  @ApiProperty({ enum: ['POST'] }) method: 'POST';
  @ApiProperty({ example: 'https://****:****@example.com/hook?token=****', description: 'As sent; user info and secret query values masked' }) url: string;
  @ApiProperty({ ...HEADERS_SCHEMA, example: { 'content-type': 'application/json', 'webhook-signature': '********' }, description: "As sent; signatures, credentials and the endpoint's custom header values masked" })
  headers: Record<string, string>;
  @ApiProperty({ nullable: true, type: String, description: 'The exact body sent (null when it can no longer be rebuilt exactly)' }) body: string | null;
}

export class AttemptResponseDto {
  @ApiProperty() statusCode: number;
  @ApiProperty({ ...HEADERS_SCHEMA, description: 'As received; cookies and tokens masked' }) headers: Record<string, string>;
  @ApiProperty({ nullable: true, type: String, description: 'First 4 KiB of the response body' }) body: string | null;
}

export class AttemptDto {
  @ApiProperty() id: string;
  @ApiProperty({ format: 'date-time' }) startedAt: string;
  @ApiProperty() durationMs: number;
  @ApiProperty({ nullable: true, type: Number }) statusCode: number | null;
  @ApiProperty({ nullable: true, type: String }) error: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'First 4 KiB of the response (as response.body)' }) responseBody: string | null;
  @ApiProperty({ type: AttemptRequestDto, nullable: true, description: 'Null when nothing was sent (e.g. refused by the SSRF guard)' }) request: AttemptRequestDto | null;
  @ApiProperty({ type: AttemptResponseDto, nullable: true, description: 'Null when no response came (timeout, connection error)' }) response: AttemptResponseDto | null;
}

export class DeliveryWithAttemptsDto extends DeliveryDto {
  @ApiProperty({ type: [AttemptDto] }) attempts: AttemptView[];
}

export class DeliveryPageDto extends PageCursorsDto {
  @ApiProperty({ type: [DeliveryDto] }) data: DeliveryDto[];
}

@ApiTags('core')
@Controller('v1/deliveries')
export class DeliveriesController {
  constructor(private readonly deliveries: DeliveriesService) {}

  @Get()
  @Access({ scopes: [S.DeliveriesRead, S.DeliveriesWrite] })
  @CoreOperation('listDeliveries', 'List deliveries, newest first (filter by status, endpoint, event, event type, plugin, time, tenant)', [400, 401, 403])
  @ApiOkResponse({ type: DeliveryPageDto })
  list(@Query() q: DeliveryQueryDto, @CurrentPrincipal() p: Principal): Promise<DeliveryPageDto> {
    const { since, until, ...filters } = q;
    return this.deliveries.list(coreScope(p, q.tenant), { ...filters, ...timeRangeOf({ since, until }) });
  }

  @Get(':id')
  @Access({ scopes: [S.DeliveriesRead, S.DeliveriesWrite] })
  @CoreOperation('getDelivery', 'Get a delivery with its attempts', [401, 403, 404])
  @ApiOkResponse({ type: DeliveryWithAttemptsDto })
  get(@Param('id') id: string, @CurrentPrincipal() p: Principal): Promise<DeliveryWithAttemptsDto> {
    return this.deliveries.get(coreScope(p), id);
  }

  @Post(':id/retry')
  @Access({ scopes: [S.DeliveriesWrite] })
  @CoreOperation('retryDelivery', 'Send a delivery again now', [401, 403, 404, 409], 202)
  @ApiOkResponse({ type: DeliveryDto })
  retry(@Param('id') id: string, @CurrentPrincipal() p: Principal): Promise<DeliveryDto> {
    return this.deliveries.retry(coreScope(p), id);
  }
}
