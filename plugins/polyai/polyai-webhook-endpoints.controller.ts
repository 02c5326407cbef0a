import { Body, Controller, Delete, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBody, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Access, CurrentPrincipal, Principal } from '../../src/sdk';
import { PolyaiEndpointsService } from './polyai-endpoints.service';
import { toWebhookEndpoint } from './polyai.mapper';
import { ApiEndpointIdParam, PolyaiOperation } from './polyai.openapi';
import {
  CREATE_ENDPOINT_SCHEMA,
  CreateWebhookEndpointRequest,
  LIST_QUERY_SCHEMA,
  ListWebhookEndpointsQuery,
  SIGNING_SECRET_SCHEMA,
  UPDATE_ENDPOINT_SCHEMA,
  UpdateWebhookEndpointRequest,
  WEBHOOK_ENDPOINT_CREATED_SCHEMA,
  WEBHOOK_ENDPOINT_LIST_SCHEMA,
  WEBHOOK_ENDPOINT_SCHEMA,
  WEBHOOK_EVENT_TYPE_SCHEMA,
  WebhookEndpoint,
} from './polyai.schemas';
import { EndpointIdPipe, endpointBodyPipe, SchemaPipe } from './polyai.validation';

const createBody = endpointBodyPipe<CreateWebhookEndpointRequest>(CREATE_ENDPOINT_SCHEMA);
const updateBody = endpointBodyPipe<UpdateWebhookEndpointRequest>(UPDATE_ENDPOINT_SCHEMA);
const listQuery = new SchemaPipe<ListWebhookEndpointsQuery>(LIST_QUERY_SCHEMA, 'query');

/** The PolyAI Webhooks API: endpoints of the account that owns the `x-api-key`. */
@ApiTags('polyai')
@Controller('v1/webhook-endpoints')
export class PolyaiWebhookEndpointsController {
  constructor(private readonly endpoints: PolyaiEndpointsService) {}

  @Get()
  @Access({ apiKey: true })
  @PolyaiOperation({ operationId: 'listWebhookEndpoints', summary: 'List webhook endpoints', status: 200, description: 'Every webhook endpoint of the account (no pagination).', schema: WEBHOOK_ENDPOINT_LIST_SCHEMA, errors: [400, 401, 500] })
  @ApiQuery({ name: 'enabled', required: false, description: 'Filter by enabled status', schema: { type: 'boolean' } })
  @ApiQuery({ name: 'event_type', required: false, description: 'Only endpoints subscribed to this event type', schema: WEBHOOK_EVENT_TYPE_SCHEMA })
  async list(@Query(listQuery) query: ListWebhookEndpointsQuery, @CurrentPrincipal() caller: Principal): Promise<{ data: WebhookEndpoint[] }> {
    return { data: (await this.endpoints.list(caller, query)).map(toWebhookEndpoint) };
  }

  @Post()
  @Access({ apiKey: true })
  @PolyaiOperation({ operationId: 'createWebhookEndpoint', summary: 'Create a webhook endpoint', status: 201, description: 'Webhook endpoint created successfully.', schema: WEBHOOK_ENDPOINT_CREATED_SCHEMA, errors: [400, 401, 409, 422, 500] })
  @ApiBody({ required: true, schema: CREATE_ENDPOINT_SCHEMA })
  async create(@Body(createBody) body: CreateWebhookEndpointRequest, @CurrentPrincipal() caller: Principal): Promise<WebhookEndpoint & { signing_secret: string }> {
    const { endpoint, secret } = await this.endpoints.create(caller, body);
    return { ...toWebhookEndpoint(endpoint), signing_secret: secret };
  }

  @Get(':endpoint_id')
  @Access({ apiKey: true })
  @PolyaiOperation({ operationId: 'getWebhookEndpoint', summary: 'Get a webhook endpoint', status: 200, description: 'The webhook endpoint (without its signing secret).', schema: WEBHOOK_ENDPOINT_SCHEMA, errors: [401, 404, 422, 500] })
  @ApiEndpointIdParam()
  async get(@Param('endpoint_id', EndpointIdPipe) id: string, @CurrentPrincipal() caller: Principal): Promise<WebhookEndpoint> {
    return toWebhookEndpoint(await this.endpoints.get(caller, id));
  }

  @Patch(':endpoint_id')
  @Access({ apiKey: true })
  @PolyaiOperation({ operationId: 'updateWebhookEndpoint', summary: 'Update a webhook endpoint', status: 200, description: 'The updated webhook endpoint.', schema: WEBHOOK_ENDPOINT_SCHEMA, errors: [400, 401, 404, 422, 500] })
  @ApiEndpointIdParam()
  @ApiBody({ required: true, schema: UPDATE_ENDPOINT_SCHEMA })
  async update(@Param('endpoint_id', EndpointIdPipe) id: string, @Body(updateBody) body: UpdateWebhookEndpointRequest, @CurrentPrincipal() caller: Principal): Promise<WebhookEndpoint> {
    return toWebhookEndpoint(await this.endpoints.update(caller, id, body));
  }

  @Delete(':endpoint_id')
  @Access({ apiKey: true })
  @PolyaiOperation({ operationId: 'deleteWebhookEndpoint', summary: 'Delete a webhook endpoint', status: 204, description: 'Webhook endpoint deleted; its pending deliveries are cancelled.', errors: [401, 404, 422, 500] })
  @ApiEndpointIdParam()
  async remove(@Param('endpoint_id', EndpointIdPipe) id: string, @CurrentPrincipal() caller: Principal): Promise<void> {
    await this.endpoints.remove(caller, id);
  }

  @Post(':endpoint_id/rotate-secret')
  @Access({ apiKey: true })
  @PolyaiOperation({ operationId: 'rotateWebhookSigningSecret', summary: 'Rotate the signing secret', status: 200, description: 'The new signing secret; the old one stops signing immediately. It cannot be retrieved again.', schema: SIGNING_SECRET_SCHEMA, errors: [401, 404, 422, 500] })
  @ApiEndpointIdParam()
  async rotateSecret(@Param('endpoint_id', EndpointIdPipe) id: string, @CurrentPrincipal() caller: Principal): Promise<{ signing_secret: string }> {
    return { signing_secret: await this.endpoints.rotateSecret(caller, id) };
  }
}
