import { applyDecorators } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';
import type { Schema } from '../../src/sdk';

/** Documents every field of a query schema as an optional query parameter, from the schema that validates it. */
export function QueryParams(query: Schema): MethodDecorator {
  const properties = (query.jsonSchema.properties ?? {}) as Record<string, Record<string, unknown>>;
  return applyDecorators(...Object.entries(properties).map(([name, schema]) => ApiQuery({ name, required: false, schema })));
}

/** Svix's read and write scopes: a write token also reads. */
export const SVIX_READ = { scopes: ['svix:read', 'svix:write'] };
export const SVIX_WRITE = { scopes: ['svix:write'] };
