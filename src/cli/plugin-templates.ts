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
 * A plugin on the SDK v2 surface that builds and passes the contract suite as generated: its
 * declaration with one setting, thin routes (`@Access` + `@Operation`), bodies declared once with
 * `schema(...)`, a service over the bound facades, an error shape that words zod's issues, a
 * delivery profile, a unit spec and a README. What a provider changes is in the README, not TODOs.
 */
export function pluginFiles(n: PluginNames): Record<string, string> {
  const { key, pascal, camel, constant } = n;
  return {
    [`${key}.plugin.ts`]: `import { Module } from '@nestjs/common';
import { WebhookPlugin } from '../../src/sdk';
import { ${pascal}Controller } from './${key}.controller';
import { ${camel}Delivery } from './${key}.delivery';
import { ${camel}Errors } from './${key}.errors';
import { ${constant}_EVENT_TYPES, sample${pascal}Event } from './${key}.events';
import { ${pascal}Service } from './${key}.service';

/** The ${pascal} provider surface: its routes under /${key}, its setting, envelope, signature and errors. */
@WebhookPlugin({
  key: '${key}',
  title: '${pascal} webhooks',
  description: 'Register ${pascal} webhook endpoints and receive ${pascal} events, signed.',
  routePrefix: '${key}',
  eventTypes: ${constant}_EVENT_TYPES,
  config: {
    ${constant}_RATE_LIMIT_PER_MINUTE: { type: 'int', default: 120, min: 0, max: 100000, description: 'Requests per minute and principal on the /${key} routes; 0 = off' },
  },
  rateLimitPerMinute: (settings) => Number(settings.${constant}_RATE_LIMIT_PER_MINUTE),
  delivery: ${camel}Delivery,
  errors: ${camel}Errors,
  sampleEvent: sample${pascal}Event,
})
@Module({ controllers: [${pascal}Controller], providers: [${pascal}Service] })
export class ${pascal}Plugin {}
`,
    [`${key}.events.ts`]: `import type { PluginEventType } from '../../src/sdk';

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
    [`${key}.schemas.ts`]: `import { schema, z } from '../../src/sdk';
import type { Infer } from '../../src/sdk';
import { ${constant}_EVENT_TYPES } from './${key}.events';

// Each declaration validates a body (\`@Body(X)\`), documents it under its name and types it (\`Infer\`).
const EventType = z.enum(${constant}_EVENT_TYPES.map((e) => e.type));

export const Create${pascal}Webhook = schema(
  'Create${pascal}Webhook',
  z.object({
    url: z.url({ protocol: /^https?$/ }).max(2048).meta({ example: 'https://example.com/${key}/webhooks' }),
    events: z.array(EventType).max(${constant}_EVENT_TYPES.length).optional().describe('Empty or absent = every event type'),
    description: z.string().max(255).optional(),
  }),
);
export type Create${pascal}Webhook = Infer<typeof Create${pascal}Webhook>;

const webhook = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(EventType),
  description: z.string().nullable(),
  active: z.boolean(),
  createdAt: z.string().meta({ format: 'date-time' }),
});
export type ${pascal}Webhook = z.output<typeof webhook>;
export const ${pascal}WebhookList = schema('${pascal}WebhookList', z.object({ data: z.array(webhook) }), { io: 'output' });
export type ${pascal}WebhookList = Infer<typeof ${pascal}WebhookList>;
export const Created${pascal}Webhook = schema('Created${pascal}Webhook', webhook.extend({ secret: z.string().describe('The signing secret, shown once') }), { io: 'output' });
export type Created${pascal}Webhook = Infer<typeof Created${pascal}Webhook>;

export const Send${pascal}Event = schema('Send${pascal}Event', z.object({ type: EventType, data: z.record(z.string(), z.unknown()).describe('The payload; each delivery carries it as data') }));
export type Send${pascal}Event = Infer<typeof Send${pascal}Event>;
export const ${pascal}EventAccepted = schema('${pascal}EventAccepted', z.object({ id: z.string(), deliveries: z.number().describe('Webhooks it is queued for') }), { io: 'output' });
export type ${pascal}EventAccepted = Infer<typeof ${pascal}EventAccepted>;
`,
    [`${key}.errors.ts`]: `import { schema, z } from '../../src/sdk';
import type { CoreError, ErrorShape, Infer, ValidationIssue } from '../../src/sdk';

/** Every error body on /${key}, with the core error's status; published as \`Error\`. */
export const ${pascal}Error = schema(
  'Error',
  z.object({
    error: z.object({
      code: z.string().meta({ example: 'validation_failed' }),
      message: z.string(),
      details: z.array(z.object({ path: z.string(), code: z.string(), message: z.string() })).optional(),
    }),
  }),
  { io: 'output' },
);
type ${pascal}Error = Infer<typeof ${pascal}Error>;

const SIZE_UNIT: Record<string, string> = { string: 'characters', array: 'items' };

function bound(field: string, which: string, limit: unknown, origin: unknown): string {
  const unit = SIZE_UNIT[String(origin)];
  return unit ? \`\${field} must have \${which} \${limit} \${unit}\` : \`\${field} must be \${which} \${limit}\`;
}

/**
 * ${pascal}'s sentence for one issue. A body's issues are zod 4's own (code, expected, format, values,
 * maximum...); the core's own (a URL it will not deliver to) are sentences already.
 */
function sentence(issue: ValidationIssue): string {
  const field = issue.path.join('.') || 'body';
  switch (issue.code) {
    case 'invalid_type':
      return issue.receivedType === 'undefined' ? \`\${field} is required\` : \`\${field} must be of type \${issue.expected}\`;
    case 'invalid_format':
      return \`\${field} must be a valid \${issue.format}\`;
    case 'invalid_value':
      return \`\${field} must be one of \${(issue.values as unknown[]).join(', ')}\`;
    case 'too_big':
      return bound(field, 'at most', issue.maximum, issue.origin);
    case 'too_small':
      return bound(field, 'at least', issue.minimum, issue.origin);
    default:
      return issue.message;
  }
}

export const ${camel}Errors: ErrorShape = {
  render: (error: CoreError) => {
    const details = error.issues.map((issue) => ({ path: issue.path.join('.'), code: issue.code, message: sentence(issue) }));
    const body: ${pascal}Error = { error: { code: error.code, message: details[0]?.message ?? error.message, ...(details.length ? { details } : {}) } };
    return { body };
  },
  schema: ${pascal}Error.jsonSchema,
  // A POST's 400 is bad JSON or a field its schema refuses; elsewhere the core's wording stands.
  describe: (status, operation) =>
    status === 400 && operation.method === 'post'
      ? {
          description: 'Malformed JSON, or an invalid field (details names each one)',
          example: { error: { code: 'validation_failed', message: 'body must be of type object', details: [{ path: '', code: 'invalid_type', message: 'body must be of type object' }] } },
        }
      : undefined,
};
`,
    [`${key}.delivery.ts`]: `import { hexHmac, iso } from '../../src/sdk';
import type { DeliveryProfile } from '../../src/sdk';

/**
 * How ${pascal} deliveries look on the wire: the envelope, a provider signature header next to
 * the Standard Webhooks headers the core always adds, and the retry schedule after the first try.
 */
export const ${camel}Delivery: DeliveryProfile = {
  envelope: (event) => ({ id: event.id, event: event.type, createdAt: iso(event.createdAt), data: event.data }),
  headers: (ctx) => ({ 'x-${key}-signature': \`sha256=\${hexHmac(ctx.secrets[0], ctx.body)}\` }),
  retry: { schedule: ['10s', '1m', '10m', '1h', '6h'] },
};
`,
    [`${key}.service.ts`]: `import { Injectable } from '@nestjs/common';
import { iso, PluginEndpoints, PluginEvents } from '../../src/sdk';
import type { EndpointView, Principal } from '../../src/sdk';
import type { Create${pascal}Webhook, Created${pascal}Webhook, Send${pascal}Event, ${pascal}EventAccepted, ${pascal}Webhook, ${pascal}WebhookList } from './${key}.schemas';

/**
 * ${pascal}'s routes over its facades, bound to this plugin: every call acts in the caller's tenant
 * (every tenant for an admin) and on ${pascal}'s endpoints only.
 */
@Injectable()
export class ${pascal}Service {
  constructor(
    private readonly endpoints: PluginEndpoints,
    private readonly events: PluginEvents,
  ) {}

  async list(caller: Principal): Promise<${pascal}WebhookList> {
    return { data: (await this.endpoints.listAll(caller)).map(to${pascal}Webhook) };
  }

  async create(caller: Principal, body: Create${pascal}Webhook): Promise<Created${pascal}Webhook> {
    const { endpoint, secret } = await this.endpoints.create(caller, { url: body.url, eventTypes: body.events ?? [], description: body.description ?? null });
    return { ...to${pascal}Webhook(endpoint), secret };
  }

  /** Queued deliveries of the webhook stop at once. */
  remove(caller: Principal, id: string): Promise<void> {
    return this.endpoints.remove(caller, id);
  }

  async send(caller: Principal, body: Send${pascal}Event): Promise<${pascal}EventAccepted> {
    const { id, deliveries } = await this.events.publish(caller, { type: body.type, data: body.data });
    return { id, deliveries };
  }
}

export function to${pascal}Webhook(endpoint: EndpointView): ${pascal}Webhook {
  return { id: endpoint.id, url: endpoint.url, events: endpoint.eventTypes, description: endpoint.description, active: endpoint.enabled, createdAt: iso(endpoint.createdAt)! };
}
`,
    [`${key}.controller.ts`]: `import { Body, Controller, Delete, Get, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Access, CurrentPrincipal, Operation } from '../../src/sdk';
import type { Principal } from '../../src/sdk';
import { Create${pascal}Webhook, Created${pascal}Webhook, Send${pascal}Event, ${pascal}EventAccepted, ${pascal}WebhookList } from './${key}.schemas';
import { ${pascal}Service } from './${key}.service';

/** Thin routes: who may call (@Access), what they take and answer (@Operation), one service call. */
@ApiTags('${key}')
@Controller()
export class ${pascal}Controller {
  constructor(private readonly ${camel}: ${pascal}Service) {}

  @Get('webhooks')
  @Access({ scopes: ['webhooks:read', 'webhooks:write'] })
  @Operation({ id: '${camel}ListWebhooks', summary: 'List your ${pascal} webhooks', status: 200, response: ${pascal}WebhookList })
  list(@CurrentPrincipal() caller: Principal): Promise<${pascal}WebhookList> {
    return this.${camel}.list(caller);
  }

  @Post('webhooks')
  @Access({ scopes: ['webhooks:write'] })
  @Operation({ id: '${camel}CreateWebhook', summary: 'Register a webhook (its secret is shown once)', status: 201, body: Create${pascal}Webhook, response: Created${pascal}Webhook, errors: [400] })
  create(@Body(Create${pascal}Webhook) body: Create${pascal}Webhook, @CurrentPrincipal() caller: Principal): Promise<Created${pascal}Webhook> {
    return this.${camel}.create(caller, body);
  }

  @Delete('webhooks/:id')
  @Access({ scopes: ['webhooks:write'] })
  @Operation({ id: '${camel}DeleteWebhook', summary: 'Delete a webhook', status: 204, errors: [404] })
  remove(@Param('id') id: string, @CurrentPrincipal() caller: Principal): Promise<void> {
    return this.${camel}.remove(caller, id);
  }

  @Post('events')
  @Access({ scopes: ['events:publish'] })
  @Operation({ id: '${camel}SendEvent', summary: 'Send an event to your webhooks', status: 202, body: Send${pascal}Event, response: ${pascal}EventAccepted, errors: [400] })
  send(@Body(Send${pascal}Event) body: Send${pascal}Event, @CurrentPrincipal() caller: Principal): Promise<${pascal}EventAccepted> {
    return this.${camel}.send(caller, body);
  }
}
`,
    [`${key}.spec.ts`]: `import { NotFoundError } from '../../src/sdk';
import type { CoreError, EndpointView } from '../../src/sdk';
import { ${camel}Delivery } from './${key}.delivery';
import { ${pascal}Error, ${camel}Errors } from './${key}.errors';
import { Create${pascal}Webhook } from './${key}.schemas';
import { to${pascal}Webhook } from './${key}.service';

/** What a body gets on /${key} when its schema refuses it. */
function refusal(body: unknown): unknown {
  try {
    Create${pascal}Webhook.parse(body);
  } catch (error) {
    return ${camel}Errors.render(error as CoreError).body;
  }
  throw new Error('the body was accepted');
}

describe('${key} plugin', () => {
  it("words zod's issues as ${pascal} does, one detail per field", () => {
    expect(refusal({ url: 'not a url', events: ['nope'], description: 'x'.repeat(256) })).toEqual({
      error: {
        code: 'validation_failed',
        message: 'url must be a valid url',
        details: [
          { path: 'url', code: 'invalid_format', message: 'url must be a valid url' },
          { path: 'events.0', code: 'invalid_value', message: 'events.0 must be one of item.created, item.deleted' },
          { path: 'description', code: 'too_big', message: 'description must have at most 255 characters' },
        ],
      },
    });
    expect(refusal({})).toMatchObject({ error: { message: 'url is required' } });
  });

  it('renders every error, and documents its 400, in the shape its schema declares', () => {
    const notFound = ${camel}Errors.render(new NotFoundError('Endpoint not found')).body;
    expect(notFound).toEqual({ error: { code: 'not_found', message: 'Endpoint not found' } });
    expect(() => ${pascal}Error.parse(notFound)).not.toThrow();
    const documented = ${camel}Errors.describe!(400, { operationId: '${camel}CreateWebhook', method: 'post', path: '/${key}/webhooks' })?.example;
    expect(documented).toEqual(refusal([]));
  });

  it("maps an endpoint to ${pascal}'s webhook and an event to its envelope", () => {
    const endpoint = { id: 'ep_1', url: 'https://example.com/h', eventTypes: ['item.created'], description: null, enabled: true, createdAt: Date.UTC(2026, 0, 2) } as EndpointView;
    expect(to${pascal}Webhook(endpoint)).toEqual({ id: 'ep_1', url: 'https://example.com/h', events: ['item.created'], description: null, active: true, createdAt: '2026-01-02T00:00:00.000Z' });
    const event = { id: 'ev_1', tenant: 't', type: 'item.created', data: { id: 'item_1' }, context: null, createdAt: Date.UTC(2026, 0, 2) };
    expect(${camel}Delivery.envelope!(event, endpoint)).toEqual({ id: 'ev_1', event: 'item.created', createdAt: '2026-01-02T00:00:00.000Z', data: { id: 'item_1' } });
  });
});
`,
    'README.md': `# ${pascal} plugin

Generated by \`hookgate plugin new ${key}\` on the plugin SDK v2. After \`npm run openapi\` (it builds
and writes \`openapi/${key}.json\`) it passes the contract suite, the OpenAPI drift test and its own
spec. Make it the provider's surface by changing, in this order:

| File | What it holds |
| --- | --- |
| \`${key}.events.ts\` | Every event type it emits, and a sample event. |
| \`${key}.schemas.ts\` | Each body and response, once: \`schema('Name', z.object(...))\` validates, documents and types it. |
| \`${key}.errors.ts\` | The error body of every failure on \`/${key}\`, how zod's issues read in it, and its 400 example. |
| \`${key}.delivery.ts\` | Envelope, provider headers (signature) and retry schedule. |
| \`${key}.service.ts\` | The routes' work over \`PluginEndpoints\` and \`PluginEvents\` (tenant from the caller). |
| \`${key}.controller.ts\` | Thin routes: \`@Access\` + \`@Operation\`, \`@Body(Schema)\`, one service call. |
| \`${key}.plugin.ts\` | The \`@WebhookPlugin\` declaration, with its setting \`${constant}_RATE_LIMIT_PER_MINUTE\`. |
| \`${key}.spec.ts\` | Unit spec: error wording, mapping, envelope. |

Routes (all under \`/${key}\`):

- \`GET /${key}/webhooks\` — scope \`webhooks:read\` or \`webhooks:write\`.
- \`POST /${key}/webhooks\` \`{url, events?, description?}\` — \`webhooks:write\`; 201 with the secret.
- \`DELETE /${key}/webhooks/{id}\` — \`webhooks:write\`; 204, or 404 for another tenant's or unknown id.
- \`POST /${key}/events\` \`{type, data}\` — \`events:publish\`; 202 \`{id, deliveries}\`.

Deliveries carry the Standard Webhooks headers (\`webhook-id\`, \`webhook-timestamp\`,
\`webhook-signature\`) and \`x-${key}-signature: sha256=<hex HMAC of the body>\`.

Import only from \`../../src/sdk\`. After a change to a route or a schema, run \`npm run openapi\`
again and commit \`openapi/\` and \`docs/permissions.md\`. See docs/plugins.md for the whole SDK.
`,
  };
}
