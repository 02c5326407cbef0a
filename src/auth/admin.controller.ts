import { Body, Controller, Delete, Get, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { ArrayMinSize, IsArray, IsOptional, IsString, MaxLength, MinLength, Validate } from 'class-validator';
import { CoreOperation } from '../common/api-docs';
import { IsStringMap } from '../endpoints/endpoint.dto';
import { Access } from './access.decorator';
import { CurrentPrincipal, Principal } from './principal';
import { PrincipalsService } from './principals.service';
import { CORE_SCOPES, Scope as S } from './scopes';
import { ValidationFailedError, ValidationIssue } from '../common/errors';
import { PluginRegistry } from '../plugins-host/plugin-registry';

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

const ROLES = ['OWNER', 'ADMIN', 'MEMBER'];

@ApiTags('admin')
@Controller('v1')
export class AdminController {
  constructor(
    private readonly principals: PrincipalsService,
    private readonly plugins: PluginRegistry,
  ) {}

  @Post('clients')
  @Access({ scopes: [S.Admin] })
  @CoreOperation('createClient', 'Create an OAuth client (the secret is shown once)', [400, 401, 403], 201)
  @ApiCreatedResponse({ type: CreatedClientDto })
  createClient(@Body() dto: CreateClientDto, @CurrentPrincipal() p: Principal): Promise<CreatedClientDto> {
    const known = { ...CORE_SCOPES, ...Object.assign({}, ...this.plugins.all().map((pl) => pl.metadata.scopes ?? {})) };
    const issues: ValidationIssue[] = [
      ...dto.scopes.filter((s) => !(s in known)).map((s) => ({ path: ['scopes'], code: 'isIn', message: `scopes has an unknown scope: ${s}` })),
      ...Object.entries(dto.orgRoles ?? {}).filter(([, role]) => !ROLES.includes(role)).map(([org]) => ({ path: ['orgRoles', org], code: 'isIn', message: `orgRoles.${org} must be one of ${ROLES.join(', ')}` })),
    ];
    if (issues.length) throw new ValidationFailedError(issues);
    return this.principals.createClient(p.subject, dto);
  }

  @Get('clients')
  @Access({ scopes: [S.Admin] })
  @CoreOperation('listClients', 'List OAuth clients', [401, 403])
  @ApiOkResponse({ type: [ClientDto] })
  async listClients(): Promise<{ data: ClientDto[] }> {
    return { data: await this.principals.listClients() };
  }

  @Delete('clients/:id')
  @Access({ scopes: [S.Admin] })
  @CoreOperation('revokeClient', 'Revoke an OAuth client', [401, 403, 404], 204)
  @ApiNoContentResponse()
  revokeClient(@Param('id') id: string, @CurrentPrincipal() p: Principal): Promise<void> {
    return this.principals.revokeClient(p.subject, id);
  }

  @Post('api-keys')
  @Access({ scopes: [S.Admin] })
  @CoreOperation('createApiKey', 'Create an API key for a tenant (shown once)', [400, 401, 403], 201)
  @ApiCreatedResponse({ type: CreatedApiKeyDto })
  createApiKey(@Body() dto: CreateApiKeyDto, @CurrentPrincipal() p: Principal): Promise<CreatedApiKeyDto> {
    return this.principals.createApiKey(p.subject, dto);
  }

  @Get('api-keys')
  @Access({ scopes: [S.Admin] })
  @CoreOperation('listApiKeys', 'List API keys', [401, 403])
  @ApiOkResponse({ type: [ApiKeyDto] })
  async listApiKeys(): Promise<{ data: ApiKeyDto[] }> {
    return { data: await this.principals.listApiKeys() };
  }

  @Delete('api-keys/:id')
  @Access({ scopes: [S.Admin] })
  @CoreOperation('revokeApiKey', 'Revoke an API key', [401, 403, 404], 204)
  @ApiNoContentResponse()
  revokeApiKey(@Param('id') id: string, @CurrentPrincipal() p: Principal): Promise<void> {
    return this.principals.revokeApiKey(p.subject, id);
  }
}
