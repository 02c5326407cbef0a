import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { ArrayNotEmpty, ArrayUnique, IsArray, IsBoolean, IsIn, IsUrl, ValidateIf } from 'class-validator';
import { TIMBRIX_EVENT_TYPES } from './timbrix.catalogue';
import type { TimbrixWebhook, TimbrixWebhookWithSecret } from './timbrix.mapper';

/*
 * Validated by TimbrixBody with stopAtFirstError: one sentence per field, the first rule it
 * breaks, in the order listed (so a non-array `events` says only "events must be an array").
 */
const WebhookUrl = () => IsUrl({ protocols: ['https'], require_protocol: true, require_tld: false }, { message: 'url must be a valid URL' });

const WebhookEvents = () =>
  applyDecorators(IsArray({ message: 'events must be an array' }), ArrayNotEmpty(), ArrayUnique(), IsIn(TIMBRIX_EVENT_TYPES, { each: true }));

/** PUT is partial: a field may be left out, but not sent as null. */
const IfPresent = () => ValidateIf((_: object, value: unknown) => value !== undefined);

const URL_DOC = { type: String, format: 'uri', example: 'https://example.com/webhooks', description: 'Webhook endpoint URL (must be a valid HTTPS URL)' };
const EVENTS_DOC = {
  enum: TIMBRIX_EVENT_TYPES,
  isArray: true,
  minItems: 1,
  uniqueItems: true,
  example: ['organization.created', 'member.added'],
  description: 'Events to subscribe to',
};

/** Schema names are the seed's (Timbrix's own OpenAPI), so generated clients share their types. */
@ApiSchema({ name: 'CreateWebhookDto' })
export class CreateTimbrixWebhookDto {
  @ApiProperty(URL_DOC)
  @WebhookUrl()
  url: string;

  @ApiProperty(EVENTS_DOC)
  @WebhookEvents()
  events: string[];
}

@ApiSchema({ name: 'UpdateWebhookDto' })
export class UpdateTimbrixWebhookDto {
  @ApiPropertyOptional(URL_DOC)
  @IfPresent()
  @WebhookUrl()
  url?: string;

  @ApiPropertyOptional({ ...EVENTS_DOC, description: 'Replaces the subscribed events' })
  @IfPresent()
  @WebhookEvents()
  events?: string[];

  @ApiPropertyOptional({ description: 'false stops deliveries until set to true again', example: false })
  @IfPresent()
  @IsBoolean()
  isActive?: boolean;
}

@ApiSchema({ name: 'Webhook' })
export class TimbrixWebhookDto implements TimbrixWebhook {
  @ApiProperty({ format: 'uuid', example: '123e4567-e89b-12d3-a456-426614174000' }) id: string;
  @ApiProperty({ format: 'uuid', example: '550e8400-e29b-41d4-a716-446655440000' }) organizationId: string;
  @ApiProperty({ format: 'uri', example: 'https://example.com/webhooks' }) url: string;
  @ApiProperty({ enum: TIMBRIX_EVENT_TYPES, isArray: true, example: ['organization.created', 'member.added'] }) events: string[];
  @ApiProperty({ example: true }) isActive: boolean;
  @ApiProperty({ format: 'date-time', example: '2025-01-26T10:00:00.000Z' }) createdAt: string;
  @ApiProperty({ format: 'date-time', example: '2025-01-26T10:00:00.000Z' }) updatedAt: string;
}

@ApiSchema({ name: 'WebhookWithSecret' })
export class TimbrixWebhookWithSecretDto extends TimbrixWebhookDto implements TimbrixWebhookWithSecret {
  @ApiProperty({ example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', description: 'Signing secret; returned only here' }) secret: string;
}
