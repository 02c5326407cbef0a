import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { AppConfig } from '../config/app-config';
import { SECURITY_SCHEMES } from '../auth/access.decorator';
import { CORE_SCOPES } from '../auth/scopes';
import { PROBLEM_SCHEMA } from '../common/error-rendering';
import { VERSION } from '../common/version';
import { PluginRegistry } from '../plugins-host/plugin-registry';

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head'];

function builder(title: string, description: string, scopes: Record<string, string>): DocumentBuilder {
  return new DocumentBuilder()
    .setTitle(title)
    .setDescription(description)
    .setVersion(VERSION)
    .addOAuth2({ type: 'oauth2', flows: { clientCredentials: { tokenUrl: '/oauth2/token', scopes } } }, SECURITY_SCHEMES.oauth2)
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'JWT with org_roles: { "<orgId>": "OWNER" | "ADMIN" | "MEMBER" }' }, SECURITY_SCHEMES.bearer)
    .addApiKey({ type: 'apiKey', in: 'header', name: 'x-api-key' }, SECURITY_SCHEMES.apiKey);
}

interface DocumentedOperation {
  security?: unknown[];
  responses?: Record<string, { description?: string; headers?: Record<string, unknown>; content?: Record<string, unknown> }>;
}

/** Where a path's errors are described: its plugin's error schema, or problem+json. */
type ErrorContentOf = (path: string) => Record<string, unknown>;

const RETRY_AFTER_HEADER = { 'Retry-After': { description: 'Seconds until the limit resets', schema: { type: 'integer', minimum: 1 } } };

/**
 * Every operation gets explicit security (`[]` when public); every guarded one documents the
 * request limit's 429 with Retry-After in its surface's error shape. The documents are key-sorted.
 */
function finish(doc: OpenAPIObject, errorSchemas: Record<string, unknown>, errorContentOf: ErrorContentOf): OpenAPIObject {
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of HTTP_METHODS) {
      const op = (item as Record<string, DocumentedOperation>)[method];
      if (!op) continue;
      if (!op.security) op.security = [];
      if (!op.security.length) continue;
      op.responses ??= {};
      const limited = (op.responses['429'] ??= { description: 'Too many requests from this principal on this surface (its request limit); see Retry-After', content: errorContentOf(path) });
      limited.headers = { ...limited.headers, ...RETRY_AFTER_HEADER };
    }
  }
  doc.components ??= {};
  doc.components.schemas = { ...doc.components.schemas, ...errorSchemas } as never;
  return sortKeys(doc) as OpenAPIObject;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]));
  }
  return value;
}

export interface OpenApiDocuments {
  /** Core and every plugin: exactly what /docs-json serves. */
  full: OpenAPIObject;
  /** Each plugin's surface on its own. */
  plugins: Record<string, OpenAPIObject>;
}

export function buildDocuments(app: INestApplication): OpenApiDocuments {
  const registry = app.get(PluginRegistry);
  const plugins = registry.all();
  const allScopes = { ...CORE_SCOPES, ...Object.assign({}, ...plugins.map((p) => p.metadata.scopes ?? {})) };
  const errorSchemas = Object.fromEntries(plugins.map((p) => [`${pascal(p.metadata.key)}Error`, p.metadata.errors.schema]));
  const errorContentOf: ErrorContentOf = (path) => {
    const plugin = registry.forPath(path);
    return plugin
      ? { 'application/json': { schema: { $ref: `#/components/schemas/${pascal(plugin.metadata.key)}Error` } } }
      : { 'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemDto' } } };
  };
  const full = finish(
    SwaggerModule.createDocument(
      app,
      builder('hookgate', 'Provider-agnostic webhook gateway: the unified /v1 API and every enabled provider plugin. Errors on /v1 are RFC 9457 problem+json; each plugin answers in its provider\'s shape.', allScopes)
        .addTag('core', 'The unified webhook contract')
        .addTag('admin', 'OAuth clients and API keys')
        .addTag('auth', 'Tokens')
        .addTag('operations', 'Health and metrics')
        .build(),
    ),
    { ProblemDto: PROBLEM_SCHEMA, ...errorSchemas },
    errorContentOf,
  );
  const perPlugin = Object.fromEntries(
    plugins.map((p) => [
      p.metadata.key,
      finish(
        SwaggerModule.createDocument(app, builder(p.metadata.title, p.metadata.description ?? p.metadata.title, { ...CORE_SCOPES, ...(p.metadata.scopes ?? {}) }).build(), {
          include: [p.moduleClass],
        }),
        { [`${pascal(p.metadata.key)}Error`]: p.metadata.errors.schema },
        errorContentOf,
      ),
    ]),
  );
  return { full, plugins: perPlugin };
}

/** Swagger UI at /docs, the JSON at /docs-json. */
export function mountOpenApi(app: INestApplication, _config: AppConfig): void {
  let docs: OpenApiDocuments | undefined;
  SwaggerModule.setup('docs', app, () => (docs ??= buildDocuments(app)).full, { jsonDocumentUrl: 'docs-json', yamlDocumentUrl: 'docs-yaml', customSiteTitle: 'hookgate API' });
}

function pascal(key: string): string {
  return key.replace(/(^|-)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());
}
