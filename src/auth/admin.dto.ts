import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMinSize, IsArray, IsOptional, IsString, MaxLength, MinLength, Validate } from 'class-validator';
import { IsStringMap } from '../endpoints/endpoint.dto';

export class CreateClientDto {
  @ApiProperty({ example: 'billing-service' }) @IsString() @MinLength(1) @MaxLength(255) name: string;
  @ApiProperty({ type: [String], example: ['webhooks:write', 'events:publish'] }) @IsArray() @ArrayMinSize(1) @IsString({ each: true }) @MaxLength(255, { each: true }) scopes: string[];
  @ApiPropertyOptional({ example: 'acme', description: 'Default: the client id' }) @IsOptional() @IsString() @MinLength(1) @MaxLength(255) tenant?: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string', enum: ['OWNER', 'ADMIN', 'MEMBER'] }, description: 'org_roles claim of its tokens' })
  @IsOptional() @Validate(IsStringMap)
  orgRoles?: Record<string, string>;
}

export class ClientDto {
  @ApiProperty() clientId: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: [String] }) scopes: string[];
  @ApiProperty() tenant: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }) orgRoles: Record<string, string>;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) revokedAt: string | null;
}

export class CreatedClientDto extends ClientDto {
  @ApiProperty({ description: 'Shown once' }) clientSecret: string;
}

export class CreateApiKeyDto {
  @ApiProperty({ example: 'acme' }) @IsString() @MinLength(1) @MaxLength(255) tenant: string;
  @ApiPropertyOptional({ example: 'PolyAI production' }) @IsOptional() @IsString() @MaxLength(255) name?: string;
}

export class ApiKeyDto {
  @ApiProperty() id: string;
  @ApiProperty({ nullable: true, type: String }) name: string | null;
  @ApiProperty() tenant: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) revokedAt: string | null;
}

export class CreatedApiKeyDto extends ApiKeyDto {
  @ApiProperty({ description: 'Shown once; send it as the x-api-key header' }) key: string;
}
