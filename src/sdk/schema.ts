import type { PipeTransform } from '@nestjs/common';
import { z } from 'zod';
import { ValidationFailedError, ValidationIssue } from '../common/errors';

/**
 * One body or response declaration: validates (zod 4), documents (its JSON Schema, published
 * under `name` in the plugin's OpenAPI document) and types (`Infer<typeof X>`) the same shape.
 * It is also a pipe: `@Body(CreateHook) body: CreateHook` validates the body before the handler.
 */
export interface Schema<T extends z.ZodType = z.ZodType> extends PipeTransform<unknown, z.output<T>> {
  /** The component name in the plugin's OpenAPI document, as the provider's own spec names it. */
  readonly name: string;
  readonly zod: T;
  /** JSON Schema (OpenAPI 3.0 dialect) of what a client sends or receives. */
  readonly jsonSchema: Record<string, unknown>;
  /** The parsed value (unknown keys stripped, defaults applied), or a ValidationFailedError with zod's issues. */
  parse(value: unknown): z.output<T>;
}

export type Infer<S extends Schema> = z.output<S['zod']>;

/** zod 3's name for a value's type (`received` in its issues), never the value itself: bodies may carry secrets. */
function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isNaN(value) ? 'nan' : 'number';
  return typeof value;
}

/**
 * zod's issue as the core carries it to a plugin's error renderer: zod 4's own fields (code,
 * path, message, expected, format, minimum...) plus `receivedType`, and never `input`.
 */
export function issuesOf(error: z.ZodError): ValidationIssue[] {
  return error.issues.map(withoutInput);
}

/** One issue without its input, its union branches' issues (`errors`) too. */
function withoutInput(zodIssue: z.core.$ZodIssue): ValidationIssue {
  const { input, path, ...issue } = zodIssue as z.core.$ZodIssue & { input?: unknown; errors?: z.core.$ZodIssue[][] };
  const branches = 'errors' in issue && Array.isArray(issue.errors) ? { errors: issue.errors.map((branch) => branch.map(withoutInput)) } : {};
  return { ...issue, ...branches, path: path.map((key) => (typeof key === 'symbol' ? String(key) : key)), receivedType: typeName(input) };
}

/** Declares a named schema; `io: 'output'` documents what the surface answers rather than what it takes. */
export function schema<T extends z.ZodType>(name: string, zod: T, options: { io?: 'input' | 'output' } = {}): Schema<T> {
  const jsonSchema = z.toJSONSchema(zod, { target: 'openapi-3.0', io: options.io ?? 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  const parse = (value: unknown): z.output<T> => {
    const result = zod.safeParse(value, { reportInput: true });
    if (!result.success) throw new ValidationFailedError(issuesOf(result.error));
    return result.data;
  };
  return { name, zod, jsonSchema, parse, transform: parse };
}

export { z };
