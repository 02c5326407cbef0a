import { Body, Controller, Delete, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiQuery, ApiTags } from '@nestjs/swagger';
import { Access, CurrentPrincipal, Operation, PluginEndpoints, Principal } from '../../src/sdk';
import { ApiEndpointIdParam, EndpointIdPipe } from './polyai.endpoint-id';
import { toEndpointPatch, toListQuery, toNewEndpoint, toWebhookEndpoint } from './polyai.mapper';
import {
  CreateWebhookEndpointRequest,
  ListWebhookEndpointsQuery,
  ListWebhookEndpointsResponse,
  RotateSigningSecretResponse,
  UpdateWebhookEndpointRequest,
  WebhookEndpoint,
  WebhookEndpointCreateResponse,
  WebhookEventType,
} from './polyai.schemas';

/**
 * The PolyAI Webhooks API: endpoints of the account that owns the `x-api-key` (its limits:
 * polyai.rules.ts). Lists are not paginated on this surface; the account limit keeps them short.
 */
@ApiTags('polyai')
@Controller('v1/webhook-endpoints')
export class PolyaiWebhookEndpointsController {
  constructor(private readonly endpoints: PluginEndpoints) {}

  @Get()
  @Access({ apiKey: true })
  @Operation({ id: 'listWebhookEndpoints', summary: 'List webhook endpoints', status: 200, statusDescription: 'Every webhook endpoint of the account (no pagination).', response: ListWebhookEndpointsResponse, errors: [400, 401, 500] })
  @ApiQuery({ name: 'enabled', required: false, description: 'Filter by enabled status', schema: { type: 'boolean' } })
  @ApiQuery({ name: 'event_type', required: false, description: 'Only endpoints subscribed to this event type', schema: WebhookEventType.jsonSchema })
  async list(@Query(ListWebhookEndpointsQuery) query: ListWebhookEndpointsQuery, @CurrentPrincipal() caller: Principal): Promise<{ data: WebhookEndpoint[] }> {
    return { data: (await this.endpoints.listAll(caller, toListQuery(query))).map(toWebhookEndpoint) };
  }

  @Post()
  @Access({ apiKey: true })
  @Operation({ id: 'createWebhookEndpoint', summary: 'Create a webhook endpoint', status: 201, statusDescription: 'Webhook endpoint created successfully.', body: CreateWebhookEndpointRequest, response: WebhookEndpointCreateResponse, errors: [400, 401, 409, 422, 500] })
  async create(@Body(CreateWebhookEndpointRequest) body: CreateWebhookEndpointRequest, @CurrentPrincipal() caller: Principal): Promise<WebhookEndpoint & { signing_secret: string }> {
    const { endpoint, secret } = await this.endpoints.create(caller, toNewEndpoint(body));
    return { ...toWebhookEndpoint(endpoint), signing_secret: secret };
  }

  @Get(':endpoint_id')
  @Access({ apiKey: true })
  @Operation({ id: 'getWebhookEndpoint', summary: 'Get a webhook endpoint', status: 200, statusDescription: 'The webhook endpoint (without its signing secret).', response: WebhookEndpoint, errors: [401, 404, 422, 500] })
  @ApiEndpointIdParam()
  async get(@Param('endpoint_id', EndpointIdPipe) id: string, @CurrentPrincipal() caller: Principal): Promise<WebhookEndpoint> {
    return toWebhookEndpoint(await this.endpoints.get(caller, id));
  }

  @Patch(':endpoint_id')
  @Access({ apiKey: true })
  @Operation({ id: 'updateWebhookEndpoint', summary: 'Update a webhook endpoint', status: 200, statusDescription: 'The updated webhook endpoint.', body: UpdateWebhookEndpointRequest, response: WebhookEndpoint, errors: [400, 401, 404, 422, 500] })
  @ApiEndpointIdParam()
  async update(
    @Param('endpoint_id', EndpointIdPipe) id: string,
    @Body(UpdateWebhookEndpointRequest) body: UpdateWebhookEndpointRequest,
    @CurrentPrincipal() caller: Principal,
  ): Promise<WebhookEndpoint> {
    return toWebhookEndpoint(await this.endpoints.update(caller, id, toEndpointPatch(body)));
  }

  @Delete(':endpoint_id')
  @Access({ apiKey: true })
  @Operation({ id: 'deleteWebhookEndpoint', summary: 'Delete a webhook endpoint', status: 204, statusDescription: 'Webhook endpoint deleted; its pending deliveries are cancelled.', errors: [401, 404, 422, 500] })
  @ApiEndpointIdParam()
  async remove(@Param('endpoint_id', EndpointIdPipe) id: string, @CurrentPrincipal() caller: Principal): Promise<void> {
    await this.endpoints.remove(caller, id);
  }

  /** The old secret stops signing at once (no grace period on this surface). */
  @Post(':endpoint_id/rotate-secret')
  @Access({ apiKey: true })
  @Operation({ id: 'rotateWebhookSigningSecret', summary: 'Rotate the signing secret', status: 200, statusDescription: 'The new signing secret; the old one stops signing immediately. It cannot be retrieved again.', response: RotateSigningSecretResponse, errors: [401, 404, 422, 500] })
  @ApiEndpointIdParam()
  async rotateSecret(@Param('endpoint_id', EndpointIdPipe) id: string, @CurrentPrincipal() caller: Principal): Promise<{ signing_secret: string }> {
    return { signing_secret: (await this.endpoints.rotateSecret(caller, id, 0)).secret };
  }
}
