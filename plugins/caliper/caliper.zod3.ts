import { z } from '../../src/sdk';
import type { ValidationIssue } from '../../src/sdk';

/**
 * The Timeback API answers zod 3 issues (`{code, expected, received, path, message}`, the seed makes
 * `expected` and `received` mandatory); its bodies are validated by zod 4 here. This file holds the
 * two halves of that translation: the schema side (what zod 3 said it received) and the issue side.
 */

/** One zod 3 issue, as the seed documents it; some codes carry more (validation, minimum, options...). */
export interface Zod3Issue {
  code: string;
  expected: string;
  received: string;
  path: string[];
  message: string;
  [extra: string]: unknown;
}

/**
 * zod 3 said what it received (the refused option, a string's or an array's length); zod 4 keeps
 * the input itself, which the core never hands to a renderer (bodies carry secrets). As a check's
 * `error`, this notes that much on the issue and leaves the wording to `zod3Issue`.
 */
function noteReceived(issue: z.core.$ZodRawIssue): undefined {
  const input: unknown = issue.input;
  if (issue.code === 'invalid_value') issue.received = String(input);
  // Code points, as zod 4 counts them for minLength/maxLength.
  else if (typeof input === 'string') issue.received = `${[...input].length} character(s)`;
  else if (Array.isArray(input)) issue.received = `${input.length} element(s)`;
  return undefined;
}

const RECEIVED = { error: noteReceived };

/** A string with optional length bounds (documented as minLength/maxLength). */
export function text(bounds: { min?: number; max?: number } = {}): z.ZodString {
  const bounded = bounds.min === undefined ? z.string() : z.string().min(bounds.min, RECEIVED);
  return bounds.max === undefined ? bounded : bounded.max(bounds.max, RECEIVED);
}

/** One of these strings (documented as an enum). */
export const oneOf = <const T extends readonly [string, ...string[]]>(values: T) => z.enum(values, RECEIVED);

/** An array with length bounds. */
export const arrayOf = <T extends z.ZodType>(item: T, bounds: { min: number; max: number }) => z.array(item).min(bounds.min, RECEIVED).max(bounds.max, RECEIVED);

const quoted = (values: readonly unknown[]): string => values.map((v) => `'${String(v)}'`).join(' | ');
const UNITS: Record<string, string> = { string: 'character(s)', array: 'element(s)' };
const ZOD3_FORMATS: Record<string, { validation: string; expected: string; message: string }> = {
  url: { validation: 'url', expected: 'url', message: 'Invalid url' },
  datetime: { validation: 'datetime', expected: 'ISO 8601 datetime', message: 'Invalid datetime' },
};

function invalidType(issue: ValidationIssue, expected: string): Zod3Issue {
  const received = String(issue.receivedType);
  return { code: 'invalid_type', expected, received, path: issue.path.map(String), message: received === 'undefined' ? 'Required' : `Expected ${expected}, received ${received}` };
}

/** The issues of one branch of a union (zod 4 keeps them in `errors`). */
type UnionBranch = { path?: unknown[]; expected?: unknown; origin?: unknown }[];

/** What one branch of a union wanted: its issue at the branch's root (`string`, `object`...). */
function branchName(branch: UnionBranch): string | undefined {
  const root = branch.find((i) => !i.path?.length);
  const name = root?.expected ?? root?.origin;
  return typeof name === 'string' ? name : undefined;
}

/** zod 4's issue codes, each as zod 3 reported it. */
const ZOD3_FORM: Record<string, (issue: ValidationIssue) => Zod3Issue> = {
  invalid_type: (issue) => invalidType(issue, String(issue.expected)),
  // None of the union's types: zod 3 named them all in one invalid_type ("string | object").
  invalid_union: (issue) => invalidType(issue, [...new Set(((issue.errors ?? []) as UnionBranch[]).map(branchName))].join(' | ')),
  // A closed list: a value of another type is an invalid_type, zod 3 quoted a string it did not take.
  invalid_value: (issue) => {
    if (issue.receivedType !== 'string') return invalidType(issue, 'string');
    const expected = quoted(issue.values as unknown[]);
    const received = String(issue.received);
    return { code: 'invalid_enum_value', expected, received, options: issue.values, path: issue.path.map(String), message: `Invalid enum value. Expected ${expected}, received '${received}'` };
  },
  too_small: (issue) => sized(issue, 'at least', 'minimum'),
  too_big: (issue) => sized(issue, 'at most', 'maximum'),
  invalid_format: (issue) => {
    const format = ZOD3_FORMATS[String(issue.format)] ?? { validation: String(issue.format), expected: String(issue.format), message: issue.message };
    return { code: 'invalid_string', validation: format.validation, expected: format.expected, received: 'string', path: issue.path.map(String), message: format.message };
  },
};

function sized(issue: ValidationIssue, bound: string, limit: 'minimum' | 'maximum'): Zod3Issue {
  const type = String(issue.origin);
  const unit = UNITS[type] ?? 'item(s)';
  const noun = `${type[0].toUpperCase()}${type.slice(1)}`;
  return {
    code: issue.code,
    expected: `${type} with ${bound} ${issue[limit]} ${unit}`,
    received: typeof issue.received === 'string' ? issue.received : 'invalid value',
    [limit]: issue[limit],
    type,
    inclusive: issue.inclusive,
    path: issue.path.map(String),
    message: `${noun} must contain ${bound} ${issue[limit]} ${unit}`,
  };
}

/**
 * A zod 4 issue in zod 3's words. Issues the plugin raises itself are already written that way
 * (code `invalid_string`...): they keep their fields, with `expected`/`received` filled as the seed
 * requires.
 */
export function zod3Issue(issue: ValidationIssue): Zod3Issue {
  const zod3 = ZOD3_FORM[issue.code];
  if (zod3) return zod3(issue);
  const { receivedType: _receivedType, ...own } = issue;
  return {
    ...own,
    expected: typeof issue.expected === 'string' ? issue.expected : 'valid value',
    received: typeof issue.received === 'string' ? issue.received : 'invalid value',
    path: issue.path.map(String),
    message: issue.message,
  };
}
