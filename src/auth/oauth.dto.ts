import { ApiProperty } from '@nestjs/swagger';

export class TokenRequestDto {
  @ApiProperty({ example: 'client_credentials' }) grant_type: string;
  @ApiProperty({ required: false, description: 'Or HTTP Basic (client_secret_basic)' }) client_id?: string;
  @ApiProperty({ required: false }) client_secret?: string;
  @ApiProperty({ required: false, example: 'webhooks:read webhooks:write', description: "Narrows the token to these of the client's scopes" }) scope?: string;
}

export class TokenResponseDto {
  @ApiProperty() access_token: string;
  @ApiProperty({ example: 'Bearer' }) token_type: string;
  @ApiProperty({ example: 3600 }) expires_in: number;
  @ApiProperty({ example: 'webhooks:read' }) scope: string;
}

export class OAuthErrorDto {
  @ApiProperty({ enum: ['invalid_request', 'invalid_client', 'invalid_scope', 'unsupported_grant_type'] }) error: string;
  @ApiProperty() error_description: string;
}
