import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsObject, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { PageCursorsDto, TimeRangeListQueryDto } from '../common/list-query.dto';
import { CheckedByRules } from '../common/validation';

/** The ingest hot path: the decorators below as rules (src/common/validation.spec.ts holds them equal). */
@CheckedByRules({
  type: { string: { min: 1, max: 255 } },
  data: { defined: true },
  plugin: { optional: true, string: {} },
  context: { optional: true, object: true },
  tenant: { optional: true, string: { min: 1, max: 255 } },
  idempotencyKey: { optional: true, string: { min: 1, max: 255 } },
})
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

export class EventQueryDto extends TimeRangeListQueryDto {
  @ApiPropertyOptional({ example: 'invoice.paid' }) @IsOptional() @IsString() @MaxLength(255) type?: string;
  @ApiPropertyOptional({ description: 'Events published for this plugin' }) @IsOptional() @IsString() @MaxLength(64) plugin?: string;
}

/** An event in a list: no payload (GET /v1/events/{id} has it). */
export class EventSummaryDto {
  @ApiProperty() id: string;
  @ApiProperty({ example: 'invoice.paid' }) type: string;
  @ApiProperty({ nullable: true, type: String }) plugin: string | null;
  @ApiProperty() tenant: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ description: 'How many deliveries the event has' }) deliveryCount: number;
}

export class EventPageDto extends PageCursorsDto {
  @ApiProperty({ type: [EventSummaryDto] }) data: EventSummaryDto[];
}
