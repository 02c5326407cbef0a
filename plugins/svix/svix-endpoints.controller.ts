import { Body, Controller, Delete, Get, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Access, CurrentPrincipal, Operation, Principal } from '../../src/sdk';
import { SvixEndpoints } from './svix-endpoints.service';
import { QueryParams, SVIX_READ, SVIX_WRITE } from './svix.openapi';
import {
  EndpointHeadersIn,
  EndpointHeadersOut,
  EndpointHeadersPatchIn,
  EndpointIn,
  EndpointOut,
  EndpointPatch,
  EndpointSecretOut,
  EndpointSecretRotateIn,
  EndpointStats,
  EndpointUpdate,
  ListQuery,
  ListResponse,
  ListResponseEndpointOut,
  RecoverIn,
  RecoverOut,
  StatsQuery,
} from './svix.schemas';

/** `app_id` and `endpoint_id` each take the id or the uid. */
@ApiTags('svix')
@Controller('api/v1/app/:app_id/endpoint')
export class SvixEndpointsController {
  constructor(private readonly endpoints: SvixEndpoints) {}

  @Get()
  @Access(SVIX_READ)
  @Operation({ id: 'v1.endpoint.list', summary: 'List Endpoints', status: 200, response: ListResponseEndpointOut, errors: [404, 422] })
  @QueryParams(ListQuery)
  list(@Param('app_id') appId: string, @Query(ListQuery) query: ListQuery, @CurrentPrincipal() caller: Principal): Promise<ListResponse<EndpointOut>> {
    return this.endpoints.list(caller, appId, query);
  }

  @Post()
  @Access(SVIX_WRITE)
  @Operation({ id: 'v1.endpoint.create', idempotent: true, summary: 'Create Endpoint', status: 201, body: EndpointIn, response: EndpointOut, errors: [404, 409, 422] })
  create(@Param('app_id') appId: string, @Body(EndpointIn) body: EndpointIn, @CurrentPrincipal() caller: Principal): Promise<EndpointOut> {
    return this.endpoints.create(caller, appId, body);
  }

  @Get(':endpoint_id')
  @Access(SVIX_READ)
  @Operation({ id: 'v1.endpoint.get', summary: 'Get Endpoint', status: 200, response: EndpointOut, errors: [404] })
  get(@Param('app_id') appId: string, @Param('endpoint_id') endpointId: string, @CurrentPrincipal() caller: Principal): Promise<EndpointOut> {
    return this.endpoints.get(caller, appId, endpointId);
  }

  @Put(':endpoint_id')
  @Access(SVIX_WRITE)
  @Operation({ id: 'v1.endpoint.update', summary: 'Update Endpoint', status: 200, body: EndpointUpdate, response: EndpointOut, errors: [404, 409, 422] })
  update(@Param('app_id') appId: string, @Param('endpoint_id') endpointId: string, @Body(EndpointUpdate) body: EndpointUpdate, @CurrentPrincipal() caller: Principal): Promise<EndpointOut> {
    return this.endpoints.update(caller, appId, endpointId, body);
  }

  @Patch(':endpoint_id')
  @Access(SVIX_WRITE)
  @Operation({ id: 'patch_endpoint', summary: 'Patch Endpoint', status: 200, body: EndpointPatch, response: EndpointOut, errors: [404, 409, 422] })
  patch(@Param('app_id') appId: string, @Param('endpoint_id') endpointId: string, @Body(EndpointPatch) body: EndpointPatch, @CurrentPrincipal() caller: Principal): Promise<EndpointOut> {
    return this.endpoints.patch(caller, appId, endpointId, body);
  }

  @Delete(':endpoint_id')
  @Access(SVIX_WRITE)
  @Operation({ id: 'v1.endpoint.delete', summary: 'Delete Endpoint', status: 204, errors: [404] })
  async remove(@Param('app_id') appId: string, @Param('endpoint_id') endpointId: string, @CurrentPrincipal() caller: Principal): Promise<void> {
    await this.endpoints.remove(caller, appId, endpointId);
  }

  @Get(':endpoint_id/secret')
  @Access(SVIX_READ)
  @Operation({ id: 'v1.endpoint.get-secret', summary: 'Get Endpoint Secret', status: 200, response: EndpointSecretOut, errors: [404] })
  secret(@Param('app_id') appId: string, @Param('endpoint_id') endpointId: string, @CurrentPrincipal() caller: Principal): Promise<{ key: string }> {
    return this.endpoints.secret(caller, appId, endpointId);
  }

  @Post(':endpoint_id/secret/rotate')
  @Access(SVIX_WRITE)
  @Operation({ id: 'v1.endpoint.rotate-secret', idempotent: true, summary: 'Rotate Endpoint Secret', description: 'The previous secret keeps signing for gracePeriodSeconds (default 24 h).', status: 204, body: EndpointSecretRotateIn, errors: [404, 422] })
  async rotateSecret(@Param('app_id') appId: string, @Param('endpoint_id') endpointId: string, @Body(EndpointSecretRotateIn) body: EndpointSecretRotateIn, @CurrentPrincipal() caller: Principal): Promise<void> {
    await this.endpoints.rotateSecret(caller, appId, endpointId, body);
  }

  @Get(':endpoint_id/headers')
  @Access(SVIX_READ)
  @Operation({ id: 'v1.endpoint.get-headers', summary: 'Get Endpoint Headers', status: 200, response: EndpointHeadersOut, errors: [404] })
  headers(@Param('app_id') appId: string, @Param('endpoint_id') endpointId: string, @CurrentPrincipal() caller: Principal): Promise<EndpointHeadersOut> {
    return this.endpoints.headers(caller, appId, endpointId);
  }

  @Put(':endpoint_id/headers')
  @Access(SVIX_WRITE)
  @Operation({ id: 'v1.endpoint.update-headers', summary: 'Update Endpoint Headers', status: 204, body: EndpointHeadersIn, errors: [404, 422] })
  async replaceHeaders(@Param('app_id') appId: string, @Param('endpoint_id') endpointId: string, @Body(EndpointHeadersIn) body: EndpointHeadersIn, @CurrentPrincipal() caller: Principal): Promise<void> {
    await this.endpoints.replaceHeaders(caller, appId, endpointId, body);
  }

  @Patch(':endpoint_id/headers')
  @Access(SVIX_WRITE)
  @Operation({ id: 'v1.endpoint.patch-headers', summary: 'Patch Endpoint Headers', status: 204, body: EndpointHeadersPatchIn, errors: [404, 422] })
  async patchHeaders(@Param('app_id') appId: string, @Param('endpoint_id') endpointId: string, @Body(EndpointHeadersPatchIn) body: EndpointHeadersPatchIn, @CurrentPrincipal() caller: Principal): Promise<void> {
    await this.endpoints.patchHeaders(caller, appId, endpointId, body);
  }

  @Post(':endpoint_id/recover')
  @Access(SVIX_WRITE)
  @Operation({ id: 'v1.endpoint.recover', idempotent: true, summary: 'Recover Failed Webhooks', description: 'Re-sends the messages that failed at this endpoint since a time (until is not supported).', status: 202, body: RecoverIn, response: RecoverOut, errors: [404, 422] })
  recover(@Param('app_id') appId: string, @Param('endpoint_id') endpointId: string, @Body(RecoverIn) body: RecoverIn, @CurrentPrincipal() caller: Principal): Promise<RecoverOut> {
    return this.endpoints.recover(caller, appId, endpointId, body);
  }

  @Get(':endpoint_id/stats')
  @Access(SVIX_READ)
  @Operation({ id: 'v1.endpoint.get-stats', summary: 'Endpoint Stats', status: 200, response: EndpointStats, errors: [404, 422] })
  @QueryParams(StatsQuery)
  stats(@Param('app_id') appId: string, @Param('endpoint_id') endpointId: string, @Query(StatsQuery) query: StatsQuery, @CurrentPrincipal() caller: Principal): Promise<EndpointStats> {
    return this.endpoints.stats(caller, appId, endpointId, query);
  }
}
