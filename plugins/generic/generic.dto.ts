import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { AUTH_TYPES, AuthType, DEFAULT_HEADER_NAME, DEFAULT_QUERY_PARAM } from './generic-webhook.input';
import { MASK } from './generic.mapper';

/**
 * OpenAPI shapes of /generic. The bodies are validated by `parseGenericWebhook`, not by
 * class-validator, so that each 400 names the provider's rule in its own words.
 */
export class GenericWebhookRequestDto {
  @ApiPropertyOptional({ default: false, description: 'true = the alert hook (receives `alert.*` events); false = the data hook (every other event)' })
  isAlertHook?: boolean;

  @ApiProperty({ format: 'uri', maxLength: 2048, example: 'https://example.com/webhook', description: 'http(s) URL that receives the POSTs' })
  endpoint: string;

  @ApiProperty({ enum: AUTH_TYPES, example: 'bearer' })
  authType: AuthType;

  @ApiPropertyOptional({ description: 'Required when authType is basic; refused otherwise. Must not contain a colon.' })
  userName?: string;

  @ApiPropertyOptional({ description: 'Required when authType is basic; refused otherwise.' })
  password?: string;

  @ApiPropertyOptional({ description: 'Required when authType is querystring, authheader, header or bearer; refused otherwise. Printable ASCII.' })
  token?: string;

  @ApiPropertyOptional({ default: DEFAULT_HEADER_NAME, description: 'Header that carries the token; only with authType header.' })
  headerName?: string;

  @ApiPropertyOptional({ default: DEFAULT_QUERY_PARAM, pattern: '^[A-Za-z0-9._~-]+$', description: 'Query parameter that carries the token; only with authType querystring.' })
  queryParam?: string;
}

export class GenericMessageDto {
  @ApiProperty({ example: 'Webhook created successfully' })
  message: string;
}

export class GenericWebhookDto {
  @ApiProperty({ example: '0192f0c4-8a3e-7c1a-9d1e-2b4f6a8c0e12', description: 'Endpoint id in the unified /v1 API (deliveries, signing secret)' })
  id: string;
  @ApiProperty() isAlertHook: boolean;
  @ApiProperty({ example: 'https://example.com/webhook' }) endpoint: string;
  @ApiProperty({ enum: AUTH_TYPES }) authType: AuthType;
  @ApiPropertyOptional({ example: MASK, description: 'Masked; present for basic' }) userName?: string;
  @ApiPropertyOptional({ example: MASK, description: 'Masked; present for basic' }) password?: string;
  @ApiPropertyOptional({ example: MASK, description: 'Masked; present for token types' }) token?: string;
  @ApiPropertyOptional({ example: DEFAULT_HEADER_NAME }) headerName?: string;
  @ApiPropertyOptional({ example: DEFAULT_QUERY_PARAM }) queryParam?: string;
  @ApiProperty() enabled: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class GenericWebhookListDto {
  @ApiProperty({ type: [GenericWebhookDto] })
  data: GenericWebhookDto[];
}
