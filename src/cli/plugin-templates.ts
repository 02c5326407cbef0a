/** The names one plugin key gives its files and symbols. */
export interface PluginNames {
  /** 'acme-pay' */
  key: string;
  /** 'AcmePay' */
  pascal: string;
  /** 'acmePay' */
  camel: string;
  /** 'ACME_PAY' */
  constant: string;
}

export function pluginNames(key: string): PluginNames {
  const pascal = key.replace(/(^|-)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());
  return { key, pascal, camel: pascal[0].toLowerCase() + pascal.slice(1), constant: key.toUpperCase().replace(/-/g, '_') };
}

/**
 * A plugin that builds and passes the contract suite as generated: one scope-guarded list route,
 * one create route through the SDK's EndpointsService, its DTOs, error shape, envelope and README.
 * Everything a provider changes is marked in its README, not in TODO comments.
 */
export function pluginFiles(n: PluginNames): Record<string, string> {
  const { key, pascal, camel, constant } = n;
  return {
    [`${key}.plugin.ts`]: `import { Module } from '@nestjs/common';
import { WebhookPlugin } from '../../src/sdk';
import { ${camel}Delivery } from './${key}.delivery';
import { ${camel}Errors } from './${key}.errors';
import { ${constant}_EVENT_TYPES, ${constant}_PLUGIN_KEY, sample${pascal}Event } from './${key}.events';
import { ${pascal}WebhooksController } from './${key}-webhooks.controller';

/** The ${pascal} provider surface: its webhook routes under /${key}, its envelope and its errors. */
@WebhookPlugin({
  key: ${constant}_PLUGIN_KEY,
  title: '${pascal} webhooks',
  description: 'Register ${pascal} webhook endpoints and receive ${pascal} events, signed.',
  routePrefix: '${key}',
  eventTypes: ${constant}_EVENT_TYPES,
  delivery: ${camel}Delivery,
  errors: ${camel}Errors,
  sampleEvent: sample${pascal}Event,
})
@Module({ controllers: [${pascal}WebhooksController] })
export class ${pascal}Plugin {}
`,
    [`${key}.events.ts`]: `import type { PluginEventType } from '../../src/sdk';

export const ${constant}_PLUGIN_KEY = '${key}';

/** Every event type this surface emits; publishing any other type for it is refused. */
export const ${constant}_EVENT_TYPES: PluginEventType[] = [
  { type: 'item.created', description: 'An item was created' },
  { type: 'item.deleted', description: 'An item was deleted' },
];

/** A valid event (the contract suite publishes it; the docs show it). */
export function sample${pascal}Event(): { type: string; data: unknown } {
  return { type: 'item.created', data: { id: 'item_123', name: 'Example item' } };
}
`,
    [`${key}.errors.ts`]: `import type { CoreError, ErrorShape } from '../../src/sdk';

/** Every error on /${key} is \`{ "error": { "code", "message", "details"? } }\` with the core error's status. */
export const ${camel}Errors: ErrorShape = {
  render: (error: CoreError) => ({
    body: {
      error: {
        code: error.code,
        message: error.message,
        ...(error.issues.length ? { details: error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) } : {}),
      },
    },
  }),
  schema: {
    type: 'object',
    required: ['error'],
    additionalProperties: false,
    properties: {
      error: {
        type: 'object',
        required: ['code', 'message'],
        additionalProperties: false,
        properties: {
          code: { type: 'string', example: 'validation_failed' },
          message: { type: 'string', example: 'url must be an absolute http(s) URL' },
          details: {
            type: 'array',
            items: {
              type: 'object',
              required: ['path', 'message'],
              additionalProperties: false,
              properties: { path: { type: 'string', example: 'url' }, message: { type: 'string' } },
            },
          },
        },
      },
    },
  },
};
`,
    [`${key}.delivery.ts`]: `import { hexHmac } from '../../src/sdk';
import type { DeliveryProfile } from '../../src/sdk';
import { to${pascal}Envelope } from './${key}.mapper';

/**
 * How ${pascal} deliveries look on the wire: the envelope, a provider signature header next to
 * the Standard Webhooks headers the core always adds, and the retry schedule after the first try.
 */
export const ${camel}Delivery: DeliveryProfile = {
  envelope: to${pascal}Envelope,
  headers: (ctx) => ({ 'x-${key}-signature': \`sha256=\${hexHmac(ctx.secrets[0], ctx.body)}\` }),
  retry: { schedule: ['10s', '1m', '10m', '1h', '6h'] },
};
`,
    [`${key}.dto.ts`]: `import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, IsUrl, MaxLength } from 'class-validator';
import { ${constant}_EVENT_TYPES } from './${key}.events';

const EVENT_TYPES = ${constant}_EVENT_TYPES.map((e) => e.type);

export class Create${pascal}WebhookDto {
  @ApiProperty({ example: 'https://example.com/${key}/webhooks', maxLength: 2048 })
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false }, { message: 'url must be an absolute http(s) URL' })
  @MaxLength(2048)
  url: string;

  @ApiPropertyOptional({ type: [String], enum: EVENT_TYPES, description: 'Empty or absent = every event type' })
  @IsOptional() @IsArray() @ArrayMaxSize(EVENT_TYPES.length) @IsIn(EVENT_TYPES, { each: true })
  events?: string[];

  @ApiPropertyOptional({ maxLength: 255 })
  @IsOptional() @IsString() @MaxLength(255)
  description?: string;
}

export class ${pascal}WebhookDto {
  @ApiProperty() id: string;
  @ApiProperty() url: string;
  @ApiProperty({ type: [String], enum: EVENT_TYPES }) events: string[];
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty() active: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class Created${pascal}WebhookDto extends ${pascal}WebhookDto {
  @ApiProperty({ description: 'The signing secret, shown once' }) secret: string;
}

export class ${pascal}WebhookListDto {
  @ApiProperty({ type: [${pascal}WebhookDto] }) data: ${pascal}WebhookDto[];
}
`,
    [`${key}.mapper.ts`]: `import { iso, tenantScope } from '../../src/sdk';
import type { CreateEndpointInput, EndpointView, PluginEvent, Principal, TenantScope } from '../../src/sdk';
import type { Create${pascal}WebhookDto, Created${pascal}WebhookDto, ${pascal}WebhookDto } from './${key}.dto';
import { ${constant}_PLUGIN_KEY } from './${key}.events';

/** The caller acting on this surface: their tenant (every tenant for admin), ${pascal} endpoints only. */
export function ${camel}Scope(who: Principal): TenantScope {
  return { actor: who.subject, tenant: tenantScope(who), plugin: ${constant}_PLUGIN_KEY };
}

export function toEndpointInput(dto: Create${pascal}WebhookDto, who: Principal): CreateEndpointInput {
  return { tenant: who.tenant, url: dto.url, eventTypes: dto.events ?? [], description: dto.description ?? null };
}

export function to${pascal}Webhook(endpoint: EndpointView): ${pascal}WebhookDto {
  return {
    id: endpoint.id,
    url: endpoint.url,
    events: endpoint.eventTypes,
    description: endpoint.description,
    active: endpoint.enabled,
    createdAt: iso(endpoint.createdAt)!,
  };
}

export function toCreated${pascal}Webhook(endpoint: EndpointView, secret: string): Created${pascal}WebhookDto {
  return { ...to${pascal}Webhook(endpoint), secret };
}

/** The body of every ${pascal} delivery. */
export function to${pascal}Envelope(event: PluginEvent): unknown {
  return { id: event.id, event: event.type, createdAt: iso(event.createdAt), data: event.data };
}
`,
    [`${key}-webhooks.controller.ts`]: `import { applyDecorators, Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Access, CurrentPrincipal, EndpointsService, PLUGIN_ERROR_SCHEMA_REF } from '../../src/sdk';
import type { Principal } from '../../src/sdk';
import { Create${pascal}WebhookDto, Created${pascal}WebhookDto, ${pascal}WebhookListDto } from './${key}.dto';
import { ${camel}Scope, toCreated${pascal}Webhook, toEndpointInput, to${pascal}Webhook } from './${key}.mapper';

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'A field is invalid (details names each one)',
  401: 'Missing, expired or invalid bearer token',
  403: 'The token lacks the required scope',
};

/** The error statuses a route can answer, all in this surface's \`{error: {code, message}}\` shape. */
function ${pascal}Errors(...statuses: number[]): MethodDecorator {
  return applyDecorators(
    ...statuses.map((status) => ApiResponse({ status, description: ERROR_DESCRIPTIONS[status], content: { 'application/json': { schema: { $ref: PLUGIN_ERROR_SCHEMA_REF } } } })),
  );
}

@ApiTags('${key}')
@Controller('webhooks')
export class ${pascal}WebhooksController {
  constructor(private readonly endpoints: EndpointsService) {}

  @Get()
  @Access({ scopes: ['webhooks:read', 'webhooks:write'] })
  @ApiOperation({ operationId: '${camel}ListWebhooks', summary: 'List your ${pascal} webhooks' })
  @ApiResponse({ status: 200, description: 'Your webhooks', type: ${pascal}WebhookListDto })
  @${pascal}Errors(401, 403)
  async list(@CurrentPrincipal() who: Principal): Promise<${pascal}WebhookListDto> {
    const page = await this.endpoints.list(${camel}Scope(who));
    return { data: page.data.map(to${pascal}Webhook) };
  }

  @Post()
  @HttpCode(201)
  @Access({ scopes: ['webhooks:write'] })
  @ApiOperation({ operationId: '${camel}CreateWebhook', summary: 'Register a ${pascal} webhook (its secret is shown once)' })
  @ApiResponse({ status: 201, description: 'The webhook and its signing secret', type: Created${pascal}WebhookDto })
  @${pascal}Errors(400, 401, 403)
  async create(@Body() dto: Create${pascal}WebhookDto, @CurrentPrincipal() who: Principal): Promise<Created${pascal}WebhookDto> {
    const { endpoint, secret } = await this.endpoints.create(${camel}Scope(who), toEndpointInput(dto, who));
    return toCreated${pascal}Webhook(endpoint, secret);
  }
}
`,
    'README.md': `# ${pascal} plugin

Generated by \`hookgate plugin new ${key}\`. It builds and passes the contract suite as is; make it
the provider's surface by changing, in this order:

| File | What it holds |
| --- | --- |
| \`${key}.events.ts\` | The plugin key and every event type it emits. |
| \`${key}.dto.ts\` | Request and response bodies of the routes (class-validator + Swagger). |
| \`${key}.mapper.ts\` | Pure functions: provider body ↔ endpoint, and the delivery envelope. |
| \`${key}.errors.ts\` | The error body of every failure on \`/${key}\` and its JSON Schema. |
| \`${key}.delivery.ts\` | Envelope, provider headers (signature) and retry schedule. |
| \`${key}-webhooks.controller.ts\` | Thin routes: DTO in, one \`EndpointsService\` call, mapper out. |
| \`${key}.plugin.ts\` | The \`@WebhookPlugin\` declaration that ties them together. |

Routes (all under \`/${key}\`):

- \`GET /${key}/webhooks\` — needs the scope \`webhooks:read\` or \`webhooks:write\`.
- \`POST /${key}/webhooks\` \`{url, events?, description?}\` — needs \`webhooks:write\`; answers 201 with the secret.

Deliveries are signed with Standard Webhooks headers (\`webhook-id\`, \`webhook-timestamp\`,
\`webhook-signature\`) and \`x-${key}-signature: sha256=<hex HMAC of the body>\`.

Publish an event for it: \`POST /v1/events {"plugin": "${key}", "type": "item.created", "data": {…}}\`.

Import only from \`../../src/sdk\`. See docs/plugins.md for the whole SDK, and run the contract
suite with \`npx jest test/contract\`.
`,
  };
}
