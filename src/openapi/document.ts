import { INestApplication } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { isDeepStrictEqual } from 'node:util';
import { AppConfig } from '../config/app-config';
import { SECURITY_SCHEMES } from '../auth/access.decorator';
import { CORE_SCOPES } from '../auth/scopes';
import { PROBLEM_SCHEMA } from '../common/error-rendering';
import { VERSION } from '../common/version';
import { PluginRegistry } from '../plugins-host/plugin-registry';
import { MODULE_METADATA } from '@nestjs/common/constants';
import { operationSchemasOf } from '../sdk/operation';
import { ErrorShape, PLUGIN_ERROR_SCHEMA_REF } from '../sdk/plugin';

/** A plugin's error schema keeps a plain name, as providers' specs do; the combined doc prefixes it on a clash. */
const PLUGIN_ERROR_SCHEMA = PLUGIN_ERROR_SCHEMA_REF.split('/').pop()!;

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head'];

function builder(title: string, description: string, scopes: Record<string, string>): DocumentBuilder {
  return new DocumentBuilder()
    .setTitle(title)
    .setDescription(description)
    .setVersion(VERSION)
    // Relative: the gateway serves its API where it serves this document.
    .addServer('/', 'This gateway')
    .addOAuth2({ type: 'oauth2', flows: { clientCredentials: { tokenUrl: '/oauth2/token', scopes } } }, SECURITY_SCHEMES.oauth2)
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'JWT with org_roles: { "<orgId>": "OWNER" | "ADMIN" | "MEMBER" }' }, SECURITY_SCHEMES.bearer)
    .addApiKey({ type: 'apiKey', in: 'header', name: 'x-api-key' }, SECURITY_SCHEMES.apiKey);
}

interface DocumentedOperation {
  operationId?: string;
  security?: unknown[];
  'x-required-scopes'?: string[];
  'x-required-roles'?: string[];
  responses?: Record<string, { description?: string; headers?: Record<string, unknown>; content?: Record<string, unknown> }>;
}

type Json = Record<string, unknown>;
/** Named components of one document, by kind (`schemas`, `responses`). */
type NamedComponents = Record<string, Record<string, object>>;

const RETRY_AFTER_HEADER = { 'Retry-After': { description: 'Seconds until the limit resets', schema: { type: 'integer', minimum: 1 } } };

/** What the core answers on every route of a method that may carry a body, before the route's own code runs. */
const BODY_STATUSES: Record<string, string> = {
  '400': 'Malformed JSON, or nesting deeper than the gateway allows',
  '413': 'Body larger than the gateway accepts',
  '415': 'A body whose Content-Type this route does not take (JSON; forms only where documented)',
};
const BODY_METHODS = new Set(['post', 'put', 'patch']);

/** What the router answers on every route with a path parameter, before the route's own code runs. */
const PATH_PARAMETER_STATUSES: Record<string, string> = {
  '400': 'A malformed %-escape in the path',
  '414': 'A path parameter longer than the router accepts',
};

/**
 * Every operation gets explicit security (`[]` when public) and documents what the core answers
 * before its own code runs, in the surface's error shape: 401/403 from the guard, the request
 * limit's 429 with Retry-After, bad bodies, bad path parameters. Inline schemas and responses equal
 * to a named component become `$ref`s to it, so a provider's own names survive (key-sorted).
 */
function finish(doc: OpenAPIObject, components: NamedComponents, errorContent: Record<string, unknown>, describe?: ErrorShape['describe']): OpenAPIObject {
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of HTTP_METHODS) {
      const op = (item as Record<string, DocumentedOperation>)[method];
      if (!op) continue;
      const routerAnswers = { ...(path.includes('{') ? PATH_PARAMETER_STATUSES : {}), ...(BODY_METHODS.has(method) ? BODY_STATUSES : {}) };
      op.responses ??= {};
      for (const [status, description] of Object.entries(routerAnswers)) op.responses[status] ??= { description, content: errorContent };
      if (!op.security) op.security = [];
      if (!op.security.length) continue;
      // What @Access answers on every guarded route: no valid credentials, or a valid one without the right.
      op.responses['401'] ??= { description: 'Missing or invalid credentials', content: errorContent };
      if (op['x-required-scopes'] || op['x-required-roles']) op.responses['403'] ??= { description: 'The credentials lack a scope or role this operation requires', content: errorContent };
      const limited = (op.responses['429'] ??= { description: 'Too many requests from this principal on this surface (its request limit); see Retry-After', content: errorContent });
      limited.headers = { ...limited.headers, ...RETRY_AFTER_HEADER };
    }
  }
  if (describe) wordErrors(doc, describe);
  const named = { ...(doc.components as NamedComponents | undefined) } as NamedComponents;
  for (const [kind, entries] of Object.entries(components)) named[kind] = { ...named[kind], ...entries };
  doc.paths = refNamed(doc.paths, named) as OpenAPIObject['paths'];
  doc.components = Object.fromEntries(
    Object.entries(named).map(([kind, entries]) => [kind, Object.fromEntries(Object.entries(entries).map(([name, definition]) => [name, refNamed(definition, named, true)]))]),
  ) as OpenAPIObject['components'];
  return sortKeys(doc) as OpenAPIObject;
}

/** A plugin's own wording (description, narrower schema, example) of each error response in its document. */
function wordErrors(doc: OpenAPIObject, describe: NonNullable<ErrorShape['describe']>): void {
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of HTTP_METHODS) {
      const op = (item as Record<string, DocumentedOperation>)[method];
      for (const [status, response] of Object.entries(op?.responses ?? {})) {
        if (Number(status) < 400) continue;
        const worded = describe(Number(status), { operationId: op.operationId ?? '', method, path });
        if (!worded) continue;
        const media = Object.keys(response.content ?? {})[0] ?? 'application/json';
        const current = (response.content?.[media] ?? {}) as Json;
        response.description = worded.description ?? response.description;
        response.content = {
          [media]: { ...current, ...(worded.schema ? { schema: worded.schema } : {}), ...(worded.example !== undefined ? { example: worded.example } : {}) },
        };
      }
    }
  }
}

/** Replaces every subtree equal to a named schema or response with a `$ref` to it (but not a component's own root). */
function refNamed(value: unknown, named: NamedComponents, isRoot = false): unknown {
  if (!isRoot && value && typeof value === 'object' && !Array.isArray(value)) {
    for (const kind of ['schemas', 'responses']) {
      const name = Object.keys(named[kind] ?? {}).find((n) => isDeepStrictEqual(named[kind][n], value));
      if (name) return { $ref: `#/components/${kind}/${name}` };
    }
  }
  if (Array.isArray(value)) return value.map((v) => refNamed(v, named));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === 'example' ? v : refNamed(v, named)]));
  return value;
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

const errorContentIn = (mediaType: string, schema: string) => ({ [mediaType]: { schema: { $ref: `#/components/schemas/${schema}` } } });

/**
 * Each surface is documented on its own, with the names its provider uses (a plugin's
 * `openApiComponents`, its DTOs' schema names, `Error`); the combined document merges them and
 * prefixes a plugin's component with its key only where two surfaces define one name differently.
 */
export function buildDocuments(app: INestApplication): OpenApiDocuments {
  const plugins = app.get(PluginRegistry).all();
  const pluginModules = new Set<unknown>(plugins.map((p) => p.moduleClass));
  const coreModules = [...app.get(ModulesContainer).values()].map((m) => m.metatype).filter((m) => !pluginModules.has(m));
  const allScopes = { ...CORE_SCOPES, ...Object.assign({}, ...plugins.map((p) => p.metadata.scopes ?? {})) };
  const core = finish(
    SwaggerModule.createDocument(app, builder('hookgate', '', allScopes).build(), { include: coreModules }),
    { schemas: { ProblemDto: PROBLEM_SCHEMA } },
    errorContentIn('application/problem+json', 'ProblemDto'),
  );
  const perPlugin = Object.fromEntries(
    plugins.map((p) => {
      const { schemas = {}, responses = {} } = p.metadata.openApiComponents ?? {};
      const controllers: Function[] = Reflect.getMetadata(MODULE_METADATA.CONTROLLERS, p.moduleClass) ?? [];
      const declared = Object.assign({}, ...controllers.map(operationSchemasOf)) as Record<string, object>;
      const doc = SwaggerModule.createDocument(app, builder(p.metadata.title, p.metadata.description ?? p.metadata.title, { ...CORE_SCOPES, ...(p.metadata.scopes ?? {}) }).build(), {
        include: [p.moduleClass],
      });
      const named = { schemas: { ...declared, ...schemas, [PLUGIN_ERROR_SCHEMA]: p.metadata.errors.schema }, responses };
      return [p.metadata.key, finish(doc, named, errorContentIn('application/json', PLUGIN_ERROR_SCHEMA), p.metadata.errors.describe?.bind(p.metadata.errors))];
    }),
  );
  const full = builder(
    'hookgate',
    'Provider-agnostic webhook gateway: the unified /v1 API and every enabled provider plugin. Errors on /v1 are RFC 9457 problem+json; each plugin answers in its provider\'s shape, under the names its provider\'s own OpenAPI uses (prefixed with the plugin key where two surfaces define one name differently).',
    allScopes,
  )
    .addTag('core', 'The unified webhook contract')
    .addTag('admin', 'OAuth clients and API keys')
    .addTag('auth', 'Tokens')
    .addTag('operations', 'Health and metrics')
    .build() as OpenAPIObject;
  return { full: sortKeys(merge(full, core, perPlugin)) as OpenAPIObject, plugins: perPlugin };
}

/** The combined document: the core's paths and components, then each plugin's, renamed where names clash. */
function merge(base: OpenAPIObject, core: OpenAPIObject, plugins: Record<string, OpenAPIObject>): OpenAPIObject {
  const surfaces: [string | null, OpenAPIObject][] = [[null, core], ...Object.entries(plugins)];
  const components: NamedComponents = {};
  const paths: Json = {};
  for (const [key, doc] of surfaces) {
    const renames = new Map<string, string>();
    for (const [kind, entries] of Object.entries(doc.components ?? {})) {
      if (kind === 'securitySchemes') continue;
      for (const [name, definition] of Object.entries(entries as Json)) {
        const clashes = surfaces.some(([other, otherDoc]) => other !== key && otherDoc.components?.[kind as 'schemas']?.[name] && !isDeepStrictEqual(otherDoc.components[kind as 'schemas']![name], definition));
        if (clashes && key) renames.set(`#/components/${kind}/${name}`, `#/components/${kind}/${pascal(key)}${name}`);
      }
    }
    const renamed = renameRefs({ paths: doc.paths, components: doc.components }, renames) as { paths: Json; components: NamedComponents };
    Object.assign(paths, renamed.paths);
    for (const [kind, entries] of Object.entries(renamed.components ?? {})) {
      if (kind === 'securitySchemes') continue;
      for (const [name, definition] of Object.entries(entries)) {
        const final = renames.get(`#/components/${kind}/${name}`)?.split('/').pop() ?? name;
        const existing = components[kind]?.[final];
        if (existing && !isDeepStrictEqual(existing, definition)) throw new Error(`OpenAPI: the component ${kind}/${final} of ${key ?? 'the core'} clashes with another surface's even after prefixing`);
        (components[kind] ??= {})[final] = definition;
      }
    }
  }
  return { ...base, paths: paths as OpenAPIObject['paths'], components: { ...base.components, ...components } };
}

function renameRefs(value: unknown, renames: Map<string, string>): unknown {
  if (Array.isArray(value)) return value.map((v) => renameRefs(v, renames));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => {
        if (k === '$ref' && typeof v === 'string') return [k, renames.get(v) ?? v];
        return [k, renameRefs(v, renames)];
      }),
    );
  }
  return value;
}

/** Swagger UI at /docs, the JSON at /docs-json. */
export function mountOpenApi(app: INestApplication, _config: AppConfig): void {
  let docs: OpenApiDocuments | undefined;
  SwaggerModule.setup('docs', app, () => (docs ??= buildDocuments(app)).full, { jsonDocumentUrl: 'docs-json', yamlDocumentUrl: 'docs-yaml', customSiteTitle: 'hookgate API' });
}

function pascal(key: string): string {
  return key.replace(/(^|-)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());
}
