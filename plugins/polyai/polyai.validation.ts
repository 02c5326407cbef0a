import { PipeTransform } from '@nestjs/common';
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { customHeaderIssues, UnprocessableError, ValidationFailedError, ValidationIssue } from '../../src/sdk';
import { ENDPOINT_ID_PATTERN } from './polyai.schemas';

/**
 * Validation for the PolyAI surface: the provider's JSON Schemas run through ajv, and every
 * failure becomes one sentence that names the field ("timeout_ms must be at most 30000").
 */

const ajv = new Ajv({ allErrors: true, allowUnionTypes: true, keywords: ['example'] });
addFormats(ajv);

const compiled = new WeakMap<object, ValidateFunction>();

function validatorFor(schema: object): ValidateFunction {
  let validate = compiled.get(schema);
  if (!validate) compiled.set(schema, (validate = ajv.compile(schema)));
  return validate;
}

/** `['event_types', 0]` → `event_types[0]`; `['headers', 'X-A']` → `headers.X-A`. */
export function fieldName(path: (string | number)[], root: string): string {
  if (!path.length) return root;
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

const PATTERN_HINTS: Record<string, string> = { '^https://': 'must start with https://' };

function sentence(e: ErrorObject, field: string): string {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return `${field} is required`;
    case 'additionalProperties':
      return `${field} is not an allowed property`;
    case 'type': {
      const nouns = String(p.type).split(',').map((t) => (t === 'object' && field === 'request body' ? 'JSON object' : t));
      return `${field} must be ${nouns.map((n) => `${/^[aeio]/.test(n) ? 'an' : 'a'} ${n}`).join(' or ')}`;
    }
    case 'minLength':
      return `${field} must be at least ${p.limit} character${p.limit === 1 ? '' : 's'} long`;
    case 'maxLength':
      return `${field} must be at most ${p.limit} characters long`;
    case 'minItems':
      return `${field} must contain at least ${p.limit} item${p.limit === 1 ? '' : 's'}`;
    case 'uniqueItems':
      return `${field} must not contain duplicates (items ${Math.min(Number(p.i), Number(p.j))} and ${Math.max(Number(p.i), Number(p.j))} are the same)`;
    case 'enum':
      return `${field} must be one of: ${(p.allowedValues as unknown[]).map(String).join(', ')}`;
    case 'minimum':
      return `${field} must be at least ${p.limit}`;
    case 'maximum':
      return `${field} must be at most ${p.limit}`;
    case 'pattern':
      return `${field} ${PATTERN_HINTS[String(p.pattern)] ?? `must match the pattern ${p.pattern}`}`;
    case 'format':
      return `${field} must be a valid ${p.format}`;
    default:
      return `${field} ${e.message}`;
  }
}

function pathOf(e: ErrorObject): (string | number)[] {
  const segments = e.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  const p = e.params as { missingProperty?: string; additionalProperty?: string };
  const child = p.missingProperty ?? p.additionalProperty;
  return child === undefined ? segments : [...segments, child];
}

/**
 * Checks `value` against `schema`; one issue per field (the first problem found there), each
 * path starting at `prefix` and each message naming the field, or `root` for the value itself.
 */
export function schemaIssues(schema: object, value: unknown, root: string, prefix: (string | number)[] = []): ValidationIssue[] {
  const validate = validatorFor(schema);
  if (validate(value)) return [];
  const byField = new Map<string, ValidationIssue>();
  for (const error of validate.errors ?? []) {
    const path = [...prefix, ...pathOf(error)];
    const field = fieldName(path, root);
    if (!byField.has(field)) byField.set(field, { path, code: error.keyword, message: sentence(error, field) });
  }
  return [...byField.values()];
}

/** PolyAI's own delivery headers, which an endpoint's custom headers must not imitate. */
const POLYAI_HEADER_PREFIX = 'x-polyai-';

/** Custom delivery headers: the SDK's rule, plus PolyAI's own header family. */
export function headerIssues(headers: Record<string, string> | undefined): ValidationIssue[] {
  return customHeaderIssues(headers, [POLYAI_HEADER_PREFIX]);
}

/** Validates a request part against a schema (plus optional rules beyond it); 400 on failure. */
export class SchemaPipe<T> implements PipeTransform<unknown, T> {
  constructor(
    private readonly schema: object,
    private readonly root: string,
    private readonly rules: (value: T) => ValidationIssue[] = () => [],
  ) {}

  transform(value: unknown): T {
    const issues = schemaIssues(this.schema, value, this.root);
    const all = issues.length ? issues : this.rules(value as T);
    if (all.length) throw new ValidationFailedError(all);
    return value as T;
  }
}

/** Create and update bodies: the schema, then the delivery-header rules. */
export function endpointBodyPipe<T extends { headers?: Record<string, string> }>(schema: object): SchemaPipe<T> {
  return new SchemaPipe<T>(schema, 'request body', (body) => headerIssues(body.headers));
}

const ENDPOINT_ID = new RegExp(ENDPOINT_ID_PATTERN);

/** A malformed `endpoint_id` is 422 on this surface (the seed's "malformed resource ID"). */
export class EndpointIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!ENDPOINT_ID.test(value)) throw new UnprocessableError('endpoint_id is malformed: it must be whe_ followed by letters and digits');
    return value;
  }
}
