import { Body, Controller, Delete, Get, Param, Patch, Post, Put, Query, Res } from '@nestjs/common';
import { ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Access, CurrentPrincipal, Operation, Principal } from '../../src/sdk';
import { SvixApplications } from './svix-applications.service';
import { QueryParams, SVIX_READ, SVIX_WRITE } from './svix.openapi';
import { ApplicationCreateQuery, ApplicationIn, ApplicationOut, ApplicationPatch, ListQuery, ListResponse, ListResponseApplicationOut } from './svix.schemas';

@ApiTags('svix')
@Controller('api/v1/app')
export class SvixApplicationsController {
  constructor(private readonly apps: SvixApplications) {}

  @Get()
  @Access(SVIX_READ)
  @Operation({ id: 'v1.application.list', summary: 'List Applications', status: 200, response: ListResponseApplicationOut, errors: [422] })
  @QueryParams(ListQuery)
  list(@Query(ListQuery) query: ListQuery, @CurrentPrincipal() caller: Principal): Promise<ListResponse<ApplicationOut>> {
    return this.apps.list(caller, query);
  }

  /** With `get_if_exists=true`, an application whose uid is taken is answered as it is, with 200. */
  @Post()
  @Access(SVIX_WRITE)
  @Operation({ id: 'v1.application.create', idempotent: true, summary: 'Create Application', description: 'With get_if_exists=true an existing application with the same uid is returned (200) instead of a 409.', status: 201, body: ApplicationIn, response: ApplicationOut, errors: [409, 422] })
  @QueryParams(ApplicationCreateQuery)
  @ApiResponse({ status: 200, description: 'The application that already has this uid (get_if_exists=true)', schema: ApplicationOut.jsonSchema })
  async create(
    @Body(ApplicationIn) body: ApplicationIn,
    @Query(ApplicationCreateQuery) query: { get_if_exists?: boolean },
    @CurrentPrincipal() caller: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ApplicationOut> {
    const { app, existing } = await this.apps.create(caller, body, query.get_if_exists);
    if (existing) reply.status(200);
    return app;
  }

  @Get(':app_id')
  @Access(SVIX_READ)
  @Operation({ id: 'v1.application.get', summary: 'Get Application', status: 200, response: ApplicationOut, errors: [404] })
  get(@Param('app_id') appId: string, @CurrentPrincipal() caller: Principal): Promise<ApplicationOut> {
    return this.apps.get(caller, appId);
  }

  /** An unknown id or uid creates the application with that uid (201), as Svix does. */
  @Put(':app_id')
  @Access(SVIX_WRITE)
  @ApiResponse({ status: 201, description: 'Created with this uid', schema: ApplicationOut.jsonSchema })
  @Operation({ id: 'v1.application.update', summary: 'Update Application', description: 'An unknown id or uid creates the application with that uid (201).', status: 200, body: ApplicationIn, response: ApplicationOut, errors: [404, 409, 422] })
  async update(@Param('app_id') appId: string, @Body(ApplicationIn) body: ApplicationIn, @CurrentPrincipal() caller: Principal, @Res({ passthrough: true }) reply: FastifyReply): Promise<ApplicationOut> {
    const { app, created } = await this.apps.update(caller, appId, body);
    if (created) reply.status(201);
    return app;
  }

  @Patch(':app_id')
  @Access(SVIX_WRITE)
  @Operation({ id: 'patch_application', summary: 'Patch Application', status: 200, body: ApplicationPatch, response: ApplicationOut, errors: [404, 409, 422] })
  patch(@Param('app_id') appId: string, @Body(ApplicationPatch) body: ApplicationPatch, @CurrentPrincipal() caller: Principal): Promise<ApplicationOut> {
    return this.apps.patch(caller, appId, body);
  }

  @Delete(':app_id')
  @Access(SVIX_WRITE)
  @Operation({ id: 'v1.application.delete', summary: 'Delete Application', description: 'Deletes its endpoints too.', status: 204, errors: [404] })
  async remove(@Param('app_id') appId: string, @CurrentPrincipal() caller: Principal): Promise<void> {
    await this.apps.remove(caller, appId);
  }
}
