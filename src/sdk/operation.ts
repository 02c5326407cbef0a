import { applyDecorators, HttpCode, UseInterceptors } from '@nestjs/common';
import { IdempotencyInterceptor } from '../idempotency/idempotency.interceptor';
import { ApiBody, ApiHeader, ApiOperation, ApiResponse } from '@nestjs/swagger';
import { PLUGIN_ERROR_SCHEMA_REF } from './plugin';
import type { Schema } from './schema';

export interface OperationDoc {
  /** The provider's operationId (generated clients name their methods after it). */
  id: string;
  summary: string;
  description?: string;
  /** The success status; the route answers it (HttpCode). */
  status: number;
  /** What the success status means, when "Success" says too little. */
  statusDescription?: string;
  /** The request body: documented here, validated by `@Body(TheSchema)`. */
  body?: Schema;
  /** The success body; none for an empty answer. */
  response?: Schema;
  /**
   * Error statuses the route's own code answers (e.g. 404 for an unknown id). The core documents
   * what it answers before the handler runs (401, 403, 429, bad JSON, 413, 415); each error's body
   * is the plugin's declared error schema, worded by its `errors.describe`.
   */
  errors?: number[];
  /**
   * Honours an `idempotency-key` header as Svix does: a repeat by the same caller to the same path
   * within IDEMPOTENCY_KEY_TTL (12 h) answers the first success (status and body) without running
   * again; a repeat while the first is running waits for its answer. For POSTs that create or act.
   */
  idempotent?: boolean;
}

const IDEMPOTENCY_KEY_DOC = 'A repeat by the same caller with the same key to the same path within IDEMPOTENCY_KEY_TTL (12 h by default) answers the first success again (status and body) without acting twice, whatever its body; a repeat while the first is running waits for its answer; a failure is not kept.';

/** The core's wording of an error status, for plugins whose error shape does not word it. */
export const ERROR_STATUS_TEXT: Record<number, string> = {
  400: 'Invalid request',
  401: 'Missing or invalid credentials',
  403: 'The credentials lack a scope or role this operation requires',
  404: 'Not found in your tenant',
  409: 'Conflicts with the current state',
  413: 'Body larger than the gateway accepts',
  415: 'Content-Type is not application/json',
  422: 'Well-formed but unprocessable',
  429: 'Too many requests',
};

export const OPERATION_DOC = 'hookgate:operation';

/**
 * The one way a plugin documents a route: operationId, summary, success status and body, error
 * statuses. Bodies and responses are `schema(...)` declarations, published under their names;
 * no plugin writes a `$ref` by hand.
 */
export function Operation(doc: OperationDoc): MethodDecorator {
  const errorContent = { 'application/json': { schema: { $ref: PLUGIN_ERROR_SCHEMA_REF } } };
  return applyDecorators(
    (_target: object, _key: string | symbol, descriptor: PropertyDescriptor) => Reflect.defineMetadata(OPERATION_DOC, doc, descriptor.value),
    ApiOperation({ operationId: doc.id, summary: doc.summary, ...(doc.description ? { description: doc.description } : {}) }),
    HttpCode(doc.status),
    ...(doc.idempotent ? [UseInterceptors(IdempotencyInterceptor), ApiHeader({ name: 'idempotency-key', required: false, description: IDEMPOTENCY_KEY_DOC })] : []),
    ...(doc.body ? [ApiBody({ required: true, schema: doc.body.jsonSchema })] : []),
    ApiResponse({ status: doc.status, description: doc.statusDescription ?? 'Success', ...(doc.response ? { schema: doc.response.jsonSchema } : {}) }),
    ...(doc.errors ?? []).map((status) => ApiResponse({ status, description: ERROR_STATUS_TEXT[status] ?? 'Error', content: errorContent })),
  );
}

/** The named schemas a controller class's operations declare (the document builder publishes them). */
export function operationSchemasOf(controller: Function): Record<string, Record<string, unknown>> {
  const named: Record<string, Record<string, unknown>> = {};
  for (const key of Object.getOwnPropertyNames(controller.prototype)) {
    const doc: OperationDoc | undefined = Reflect.getMetadata(OPERATION_DOC, controller.prototype[key]);
    for (const declared of [doc?.body, doc?.response]) if (declared) named[declared.name] = declared.jsonSchema;
  }
  return named;
}
