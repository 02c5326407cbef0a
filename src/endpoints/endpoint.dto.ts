import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsInt,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  Max,
  MaxLength,
  Min,
  MinLength,
  Validate,
  ValidatorConstraint,
  ValidatorConstraintInterface,
} from 'class-validator';
import { PageCursorsDto } from '../common/list-query.dto';

/** A JSON object whose values are all strings (custom header maps). */
@ValidatorConstraint({ name: 'isStringMap' })
export class IsStringMap implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'string');
  }
  defaultMessage(): string {
    return '$property must be an object whose values are strings';
  }
}

export const URL_OPTIONS = { protocols: ['http', 'https'], require_protocol: true, require_tld: false, allow_underscores: true };

export class CreateWebhookDto {
  @ApiProperty({ example: 'https://example.com/webhooks', maxLength: 2048 })
  @IsUrl(URL_OPTIONS, { message: 'url must be an absolute http(s) URL' })
  @MaxLength(2048)
  url: string;

  @ApiPropertyOptional({ type: [String], example: ['invoice.paid'], description: 'Empty or absent = every event type' })
  @IsOptional() @IsArray() @ArrayMaxSize(256) @IsString({ each: true }) @MinLength(1, { each: true }) @MaxLength(255, { each: true })
  eventTypes?: string[];

  @ApiPropertyOptional({ example: 'timbrix', description: 'Plugin whose events and wire format the endpoint uses; absent = core profile' })
  @IsOptional() @IsString()
  plugin?: string;

  @ApiPropertyOptional({ example: 'Billing service' })
  @IsOptional() @IsString() @MaxLength(1000)
  description?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' }, example: { 'X-Team': 'billing' } })
  @IsOptional() @Validate(IsStringMap)
  headers?: Record<string, string>;

  @ApiPropertyOptional({ minimum: 100, maximum: 60000, example: 15000 })
  @IsOptional() @IsInt() @Min(100) @Max(60000)
  timeoutMs?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 10000, example: 50 })
  @IsOptional() @IsInt() @Min(1) @Max(10000)
  rateLimitPerSecond?: number;

  @ApiPropertyOptional({ default: true })
  @IsOptional() @IsBoolean()
  enabled?: boolean;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: { team: 'billing' } })
  @IsOptional() @IsObject()
  metadata?: Record<string, unknown>;
}

export class UpdateWebhookDto extends PartialType(CreateWebhookDto) {}

export class WebhookDto {
  @ApiProperty({ example: '0192f0c4-8a3e-7c1a-9d1e-2b4f6a8c0e12' }) id: string;
  @ApiProperty({ nullable: true, type: String, example: null }) plugin: string | null;
  @ApiProperty({ example: 'acme' }) tenant: string;
  @ApiProperty({ example: 'https://example.com/webhooks' }) url: string;
  @ApiProperty({ type: [String] }) eventTypes: string[];
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, description: 'Header names; values are masked', example: { 'X-Team': '********' } }) headers: Record<string, string>;
  @ApiProperty({ nullable: true, type: Number }) timeoutMs: number | null;
  @ApiProperty({ nullable: true, type: Number }) rateLimitPerSecond: number | null;
  @ApiProperty() enabled: boolean;
  @ApiProperty({ nullable: true, type: String, description: 'Why the delivery engine disabled it' }) disabledReason: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) metadata: Record<string, unknown>;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class CreatedWebhookDto extends WebhookDto {
  @ApiProperty({ example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', description: 'Shown on creation and by GET …/secret' })
  secret: string;
}

export class WebhookPageDto extends PageCursorsDto {
  @ApiProperty({ type: [WebhookDto] }) data: WebhookDto[];
}

export class SecretDto {
  @ApiProperty({ example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' }) secret: string;
}

export class RotatedSecretDto extends SecretDto {
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'Until then the previous secret also signs' })
  previousSecretExpiresAt: string | null;
}

export class RecoverDto {
  @ApiProperty({ format: 'date-time', example: '2026-11-20T00:00:00Z', description: 'Re-send failed and dead deliveries created since then' })
  @IsISO8601({ strict: true }, { message: 'since must be an ISO 8601 date-time' })
  since: string;
}

export class RecoverResultDto {
  @ApiProperty({ example: 12 }) recovered: number;
}

export class TestEventDto {
  @ApiPropertyOptional({ example: 'hookgate.test', description: 'Event type to send (default hookgate.test)' })
  @IsOptional() @IsString() @MaxLength(255)
  type?: string;
}
