import { Body, Controller, Get, Headers, Param, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiHeader, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsDefined, IsObject, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { Access } from '../auth/access.decorator';
import { CurrentPrincipal, isAdmin, Principal, tenantScope } from '../auth/principal';
import { Scope as S } from '../auth/scopes';
import { CoreOperation } from '../common/api-docs';
import { ForbiddenError, ValidationFailedError } from '../common/errors';
import { EventsService, EventView } from './events.service';

export class PublishEventDto {
  @ApiProperty({ example: 'invoice.paid' })
  @IsString() @MinLength(1) @MaxLength(255)
  type: string;

  @ApiProperty({ description: 'The event payload (any JSON value)', example: { invoiceId: 'inv_1', amount: 4200 } })
  @IsDefined()
  data: unknown;

  @ApiPropertyOptional({ example: 'timbrix', description: "Plugin whose endpoints receive it; absent = core endpoints" })
  @IsOptional() @IsString()
  plugin?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'Provider context (e.g. Timbrix organization)' })
  @IsOptional() @IsObject()
  context?: Record<string, unknown>;

  @ApiPropertyOptional({ description: "Publish for another tenant (needs admin or events:publish:any)" })
  @IsOptional() @IsString() @MinLength(1) @MaxLength(255)
  tenant?: string;

  @ApiPropertyOptional({ description: 'Same as the Idempotency-Key header' })
  @IsOptional() @IsString() @MinLength(1) @MaxLength(255)
  idempotencyKey?: string;
}

export class PublishedDto {
  @ApiProperty() id: string;
  @ApiProperty({ description: 'How many deliveries were created' }) deliveries: number;
}

export class EventDto {
  @ApiProperty() id: string;
  @ApiProperty() tenant: string;
  @ApiProperty({ nullable: true, type: String }) plugin: string | null;
  @ApiProperty() type: string;
  @ApiProperty() data: unknown;
  @ApiProperty({ nullable: true, type: 'object', additionalProperties: true }) context: Record<string, unknown> | null;
  @ApiProperty({ nullable: true, type: String }) idempotencyKey: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty() deliveries: number;
}

@ApiTags('core')
@Controller('v1/events')
export class EventsController {
  constructor(private readonly events: EventsService) {}

  @Post()
  @Access({ scopes: [S.EventsPublish, S.EventsPublishAny] })
  @CoreOperation('publishEvent', 'Publish an event (fans out to every matching endpoint)', [400, 401, 403, 409, 413, 415], 202)
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Same key and body within 24 h = the same event, no second fan-out; different body = 409' })
  @ApiAcceptedResponse({ type: PublishedDto })
  async publish(@Body() dto: PublishEventDto, @Headers('idempotency-key') headerKey: string | undefined, @CurrentPrincipal() p: Principal): Promise<PublishedDto> {
    const tenant = dto.tenant ?? p.tenant;
    if (tenant !== p.tenant && !isAdmin(p) && !p.scopes.includes(S.EventsPublishAny)) {
      throw new ForbiddenError('Publishing for another tenant needs admin or events:publish:any');
    }
    // A JSON null (which @IsOptional lets through) means no key, as an absent field does.
    const bodyKey = dto.idempotencyKey ?? undefined;
    if (headerKey !== undefined && bodyKey !== undefined && headerKey !== bodyKey) {
      throw new ValidationFailedError([{ path: ['idempotencyKey'], code: 'mismatch', message: 'idempotencyKey differs from the Idempotency-Key header' }]);
    }
    const key = headerKey ?? bodyKey;
    if (key !== undefined && (key.length < 1 || key.length > 255)) {
      throw new ValidationFailedError([{ path: ['Idempotency-Key'], code: 'length', message: 'Idempotency-Key must be 1 to 255 characters' }]);
    }
    const result = await this.events.publish({ tenant, plugin: dto.plugin, type: dto.type, data: dto.data, context: dto.context, idempotencyKey: key });
    return { id: result.id, deliveries: result.deliveries };
  }

  @Get(':id')
  @Access({ scopes: [S.EventsPublish, S.EventsPublishAny, S.DeliveriesRead] })
  @CoreOperation('getEvent', 'Get an event', [401, 403, 404])
  @ApiOkResponse({ type: EventDto })
  get(@Param('id') id: string, @CurrentPrincipal() p: Principal): Promise<EventView & { deliveries: number }> {
    return this.events.get(tenantScope(p), id);
  }
}
