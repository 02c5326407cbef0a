import { Body, Controller, Delete, Get, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CoreOperation } from '../common/api-docs';
import { Access } from './access.decorator';
import { ApiKeyDto, ClientDto, CreateApiKeyDto, CreatedApiKeyDto, CreatedClientDto, CreateClientDto } from './admin.dto';
import { CurrentPrincipal, Principal } from './principal';
import { PrincipalsService } from './principals.service';
import { Scope as S } from './scopes';

@ApiTags('admin')
@Controller('v1')
export class AdminController {
  constructor(private readonly principals: PrincipalsService) {}

  @Post('clients')
  @Access({ scopes: [S.Admin] })
  @CoreOperation('createClient', 'Create an OAuth client (the secret is shown once)', [400, 401, 403], 201)
  @ApiCreatedResponse({ type: CreatedClientDto })
  createClient(@Body() dto: CreateClientDto, @CurrentPrincipal() p: Principal): Promise<CreatedClientDto> {
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
