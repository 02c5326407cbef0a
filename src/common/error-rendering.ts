import { HttpException } from '@nestjs/common';
import { CoreError, ErrorCode, RateLimitedError } from './errors';

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'unprocessable',
  429: 'rate_limited',
  503: 'unavailable',
};

const TITLES: Record<ErrorCode, string> = {
  validation_failed: 'Validation failed',
  bad_request: 'Bad request',
  unauthorized: 'Unauthorized',
  forbidden: 'Forbidden',
  not_found: 'Not found',
  conflict: 'Conflict',
  payload_too_large: 'Payload too large',
  unsupported_media_type: 'Unsupported media type',
  unprocessable: 'Unprocessable content',
  rate_limited: 'Too many requests',
  unavailable: 'Service unavailable',
  internal: 'Internal server error',
};

const INVALID_JSON = 'Request body is not valid JSON';
/**
 * PostgreSQL refuses text it cannot store (a NUL character, U+0000) where SQLite keeps it: the
 * input's fault, not the server's, on whatever route it reaches the database.
 */
const POSTGRES_INVALID_TEXT = new Set(['22021', '22P05']);
const NUL_IN_TEXT = 'Text must not contain NUL (U+0000) characters';
export const FRAMEWORK_MESSAGES: Record<number, string> = {
  404: 'Not found',
  413: 'Request body is larger than 1 MiB',
  415: 'Content-Type must be application/json',
};

interface FastifyLikeError {
  statusCode?: number;
  code?: string;
  message?: string;
}

/**
 * Anything thrown (core errors, Nest HttpExceptions, Fastify's body-parser errors) as a CoreError,
 * so each surface renders one kind of thing. Unknown errors become a 500 with no details.
 */
export function toCoreError(err: unknown): CoreError {
  if (err instanceof CoreError) return err;
  const e = err as FastifyLikeError;
  if (e?.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return new CoreError(413, 'payload_too_large', FRAMEWORK_MESSAGES[413]);
  if (e?.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return new CoreError(415, 'unsupported_media_type', FRAMEWORK_MESSAGES[415]);
  if (e?.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err instanceof SyntaxError) return new CoreError(400, 'bad_request', INVALID_JSON);
  if (POSTGRES_INVALID_TEXT.has(String((e as { driverError?: { code?: string } })?.driverError?.code ?? e?.code))) return new CoreError(400, 'bad_request', NUL_IN_TEXT);
  if (err instanceof HttpException) {
    const status = err.getStatus();
    if (status === 429) return new RateLimitedError(60);
    const response = err.getResponse();
    const message = typeof response === 'string' ? response : String((response as { message?: unknown }).message ?? err.message);
    // Nest re-throws Fastify's body-parser errors as HttpExceptions carrying only Fastify's wording.
    const ours = status === 400 && message.startsWith('Body is not valid JSON') ? INVALID_JSON : (FRAMEWORK_MESSAGES[status] ?? message);
    return new CoreError(status, CODE_BY_STATUS[status] ?? (status >= 500 ? 'internal' : 'bad_request'), ours);
  }
  if (e?.statusCode && e.statusCode >= 400 && e.statusCode < 500) {
    return new CoreError(e.statusCode, CODE_BY_STATUS[e.statusCode] ?? 'bad_request', e.message ?? 'Bad request');
  }
  return new CoreError(500, 'internal', 'Internal server error');
}

/** RFC 9457 problem details, the core /v1 surface's error shape. */
export function problemJson(error: CoreError): Record<string, unknown> {
  return {
    type: `https://hookgate.dev/problems/${error.code.replace(/_/g, '-')}`,
    title: TITLES[error.code],
    status: error.status,
    detail: error.message,
    ...(error.issues.length ? { errors: error.issues.map((i) => ({ path: i.path.join('.'), message: i.message, code: i.code })) } : {}),
  };
}

export const PROBLEM_SCHEMA = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail'],
  properties: {
    type: { type: 'string', format: 'uri' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    errors: {
      type: 'array',
      items: { type: 'object', required: ['path', 'message', 'code'], properties: { path: { type: 'string' }, message: { type: 'string' }, code: { type: 'string' } } },
    },
  },
};
