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

/** Every operation gets explicit security (`[]` when public) and the documents are key-sorted. */
function finish(doc: OpenAPIObject, errorSchemas: Record<string, unknown>): OpenAPIObject {
  for (const item of Object.values(doc.paths)) {
    for (const method of HTTP_METHODS) {
      const op = (item as Record<string, { security?: unknown[] }>)[method];
      if (op && !op.security) op.security = [];
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
  );
  const perPlugin = Object.fromEntries(
    plugins.map((p) => [
      p.metadata.key,
      finish(
        SwaggerModule.createDocument(app, builder(p.metadata.title, p.metadata.description ?? p.metadata.title, { ...CORE_SCOPES, ...(p.metadata.scopes ?? {}) }).build(), {
          include: [p.moduleClass],
        }),
        { [`${pascal(p.metadata.key)}Error`]: p.metadata.errors.schema },
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
