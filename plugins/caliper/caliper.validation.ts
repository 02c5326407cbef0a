import { ValidationFailedError } from '../../src/sdk';

/**
 * A small validator that reports problems the way the Timeback API does (zod 3 issues):
 * `{code, expected, received, path, message}`. The seed makes `expected` and `received`
 * mandatory on every issue, so checks that zod reports without them (invalid_string, too_small,
 * ...) fill them with what was wanted and what came.
 */
export interface ZodIssue {
  code: string;
  expected: string;
  received: string;
  path: string[];
  message: string;
  [extra: string]: unknown;
}

export type Check = (value: unknown, path: string[]) => ZodIssue[];

/** zod's name for the type of a value. */
export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isNaN(value) ? 'nan' : Number.isInteger(value) ? 'integer' : 'float';
  return typeof value;
}

const receivedType = (value: unknown): string => (typeName(value) === 'integer' || typeName(value) === 'float' ? 'number' : typeName(value));

function invalidType(expected: string, value: unknown, path: string[]): ZodIssue[] {
  const received = receivedType(value);
  return [{ code: 'invalid_type', expected, received, path, message: value === undefined ? 'Required' : `Expected ${expected}, received ${received}` }];
}

const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

export const isIsoDatetime = (value: string): boolean => ISO_DATETIME.test(value) && !Number.isNaN(Date.parse(value));

export function string(rules: { min?: number; max?: number; url?: boolean; datetime?: boolean } = {}): Check {
  return (value, path) => {
    if (typeof value !== 'string') return invalidType('string', value, path);
    if (rules.min !== undefined && value.length < rules.min) {
      return [{ code: 'too_small', expected: `string with at least ${rules.min} character(s)`, received: `${value.length} character(s)`, minimum: rules.min, type: 'string', inclusive: true, path, message: `String must contain at least ${rules.min} character(s)` }];
    }
    if (rules.max !== undefined && value.length > rules.max) {
      return [{ code: 'too_big', expected: `string with at most ${rules.max} character(s)`, received: `${value.length} character(s)`, maximum: rules.max, type: 'string', inclusive: true, path, message: `String must contain at most ${rules.max} character(s)` }];
    }
    if (rules.url && !URL.canParse(value)) return [{ code: 'invalid_string', validation: 'url', expected: 'url', received: 'string', path, message: 'Invalid url' }];
    if (rules.datetime && !isIsoDatetime(value)) {
      return [{ code: 'invalid_string', validation: 'datetime', expected: 'ISO 8601 datetime', received: 'string', path, message: 'Invalid datetime' }];
    }
    return [];
  };
}

export const boolean = (): Check => (value, path) => (typeof value === 'boolean' ? [] : invalidType('boolean', value, path));

export function oneOf(values: readonly string[]): Check {
  const expected = values.map((v) => `'${v}'`).join(' | ');
  return (value, path) => {
    if (typeof value !== 'string') return invalidType('string', value, path);
    if (values.includes(value)) return [];
    return [{ code: 'invalid_enum_value', expected, received: value, options: [...values], path, message: `Invalid enum value. Expected ${expected}, received '${value}'` }];
  };
}

/** A Caliper entity reference: an IRI string or an object describing the entity. */
export const stringOrObject = (): Check => (value, path) =>
  (typeof value === 'string' && value.length > 0) || typeName(value) === 'object' ? [] : invalidType('string | object', value, path);

export const nullable = (check: Check): Check => (value, path) => (value === null ? [] : check(value, path));

export const optional = (check: Check): Check => (value, path) => (value === undefined ? [] : check(value, path));

export function array(item: Check, rules: { min?: number; max?: number } = {}): Check {
  return (value, path) => {
    if (!Array.isArray(value)) return invalidType('array', value, path);
    if (rules.min !== undefined && value.length < rules.min) {
      return [{ code: 'too_small', expected: `array with at least ${rules.min} element(s)`, received: `${value.length} element(s)`, minimum: rules.min, type: 'array', inclusive: true, path, message: `Array must contain at least ${rules.min} element(s)` }];
    }
    if (rules.max !== undefined && value.length > rules.max) {
      return [{ code: 'too_big', expected: `array with at most ${rules.max} element(s)`, received: `${value.length} element(s)`, maximum: rules.max, type: 'array', inclusive: true, path, message: `Array must contain at most ${rules.max} element(s)` }];
    }
    return value.flatMap((v, i) => item(v, [...path, String(i)]));
  };
}

/**
 * An object with these properties checked; keys the shape does not name pass validation (zod's
 * default `.strip()`: whoever reads the result picks the named keys, so the rest is dropped).
 */
export function object(shape: Record<string, Check>): Check {
  return (value, path) => {
    if (typeName(value) !== 'object') return invalidType('object', value, path);
    const record = value as Record<string, unknown>;
    return Object.entries(shape).flatMap(([key, check]) => check(record[key], [...path, key]));
  };
}

/** A value of one of these zod type names (`string`, `object`, `array`...), e.g. a JSON-LD `@context`. */
export function ofTypes(types: readonly string[]): Check {
  const expected = types.join(' | ');
  return (value, path) => (types.includes(receivedType(value)) ? [] : invalidType(expected, value, path));
}

/** The body as T, or a 400 listing every issue. */
export function parse<T>(check: Check, value: unknown, message = 'Invalid request data'): T {
  const issues = check(value, []);
  if (issues.length) throw new ValidationFailedError(issues, message);
  return value as T;
}
