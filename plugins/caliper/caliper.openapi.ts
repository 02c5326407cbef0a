import { applyDecorators, HttpCode } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiResponse } from '@nestjs/swagger';
import { STATUS_ENVELOPE_SCHEMA, VALIDATION_ERROR_SCHEMA } from './caliper.schemas';

const ERROR_TEXT: Record<number, string> = {
  400: 'Invalid request',
  401: 'Missing, expired or invalid bearer token',
  403: 'The token lacks a Caliper scope this operation needs',
  404: 'No such webhook or filter in your tenant',
  413: 'Body larger than 1 MiB',
  415: 'Content-Type is not application/json',
};

const AUTH_ERRORS = [401, 403];
const BODY_ERRORS = [400, 413, 415];

export interface CaliperOperationDoc {
  operationId: string;
  summary: string;
  status: 200 | 201;
  response: Record<string, unknown>;
  body?: Record<string, unknown>;
  /** Whether an id in the path can be unknown (404). */
  notFound?: boolean;
  /** Filter routes answer a 400 with the status envelope instead of `{error, details}`. */
  badRequestShape?: 'details' | 'status';
}

/** Operation id, summary, status, body and every response of one Caliper route, in its exact shapes. */
export function CaliperOperation(doc: CaliperOperationDoc): MethodDecorator {
  const errors = [...(doc.body ? BODY_ERRORS : []), ...AUTH_ERRORS, ...(doc.notFound ? [404] : [])];
  const errorSchema = (code: number) => (code === 400 && doc.badRequestShape !== 'status' ? VALIDATION_ERROR_SCHEMA : STATUS_ENVELOPE_SCHEMA);
  return applyDecorators(
    ApiOperation({ operationId: doc.operationId, summary: doc.summary }),
    HttpCode(doc.status),
    ...(doc.body ? [ApiBody({ required: true, schema: doc.body })] : []),
    ApiResponse({ status: doc.status, description: 'Success', schema: doc.response }),
    ...errors.map((code) => ApiResponse({ status: code, description: ERROR_TEXT[code], schema: errorSchema(code) })),
  );
}
