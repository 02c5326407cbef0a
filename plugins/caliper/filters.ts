/**
 * The webhook filter engine: which Caliper events a filter lets through. Pure and fast, because
 * it runs for every event and endpoint at fan-out.
 *
 * - `filterKey` is a dot path into the event (`actor.id`, `object.type`, `generated.items.0.value`).
 * - `filterType` coerces both sides: string (strings, numbers, booleans as text), number (numbers
 *   and numeric strings), boolean (true/false and "true"/"false"). A value that does not coerce
 *   matches nothing but the negated operations.
 * - A missing or non-coercible field fails every operation except `neq`, `notContains`, `notIn`.
 * - `in`/`notIn` take a comma-separated list; `contains` on an array field tests its elements.
 * - `regexp` (filterType string only) uses RE2 syntax and runs on re2js, a linear-time engine (no
 *   backtracking, so no pattern can stall fan-out); what RE2 cannot run is refused at creation.
 */
import { RE2JS } from 're2js';

export const FILTER_TYPES = ['string', 'number', 'boolean'] as const;
export const FILTER_OPERATIONS = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'contains', 'notContains', 'in', 'notIn', 'startsWith', 'endsWith', 'regexp'] as const;

export type FilterType = (typeof FILTER_TYPES)[number];
export type FilterOperation = (typeof FILTER_OPERATIONS)[number];

export interface FilterRule {
  filterKey: string;
  filterValue: string;
  filterType: FilterType;
  filterOperation: FilterOperation;
}

export const MAX_PATTERN_LENGTH = 256;
/** A regexp only ever sees this many characters of the field, so each test costs a bounded time. */
export const MAX_REGEXP_INPUT = 256;

const NEGATED: ReadonlySet<FilterOperation> = new Set(['neq', 'notContains', 'notIn']);
const ORDERING: ReadonlySet<FilterOperation> = new Set(['gt', 'gte', 'lt', 'lte']);
const TEXTUAL: ReadonlySet<FilterOperation> = new Set(['startsWith', 'endsWith', 'regexp']);

type Scalar = string | number | boolean;

/** The value at a dot path, or undefined. Only own properties are followed (no `__proto__`). */
export function valueAt(root: unknown, path: string): unknown {
  let current: unknown = root;
  for (const segment of path.split('.')) {
    if (current === null || typeof current !== 'object' || !Object.prototype.hasOwnProperty.call(current, segment)) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

function coerce(value: unknown, type: FilterType): Scalar | undefined {
  if (type === 'string') return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
  if (type === 'number') {
    if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
    if (typeof value !== 'string' || value.trim() === '') return undefined;
    const n = Number(value.trim());
    return Number.isFinite(n) ? n : undefined;
  }
  if (typeof value === 'boolean') return value;
  if (typeof value !== 'string') return undefined;
  const text = value.trim().toLowerCase();
  return text === 'true' ? true : text === 'false' ? false : undefined;
}

const listOf = (filterValue: string): string[] => filterValue.split(',').map((item) => item.trim());

export interface FilterProblem {
  field: 'filterKey' | 'filterValue' | 'filterOperation';
  message: string;
}

/** Why a filter cannot work (refused when it is created or replaced), or null. */
export function filterProblem(rule: FilterRule): FilterProblem | null {
  const { filterType: type, filterOperation: op, filterValue: value } = rule;
  if (!/^[^.\s]+(\.[^.\s]+)*$/.test(rule.filterKey)) return { field: 'filterKey', message: 'filterKey must be a dot path such as actor.id' };
  if ((type === 'boolean' && (ORDERING.has(op) || TEXTUAL.has(op))) || (type === 'number' && TEXTUAL.has(op))) {
    return { field: 'filterOperation', message: `filterOperation ${op} does not apply to filterType ${type}` };
  }
  if (op === 'regexp') {
    const problem = regexpProblem(value);
    return problem ? { field: 'filterValue', message: problem } : null;
  }
  const operands = op === 'in' || op === 'notIn' ? listOf(value) : [value];
  const bad = operands.find((operand) => coerce(operand, type) === undefined);
  return bad === undefined ? null : { field: 'filterValue', message: `filterValue "${bad}" is not a ${type}` };
}

/** Does the event pass this filter? Assumes filterProblem(rule) was null. */
export function matchesFilter(rule: FilterRule, event: unknown): boolean {
  const { filterType: type, filterOperation: op } = rule;
  const field = valueAt(event, rule.filterKey);
  if (Array.isArray(field) && (op === 'contains' || op === 'notContains')) {
    const wanted = coerce(rule.filterValue, type);
    const found = field.some((item) => coerce(item, type) === wanted);
    return op === 'contains' ? found : !found;
  }
  const actual = coerce(field, type);
  if (actual === undefined) return NEGATED.has(op);
  const expected = coerce(rule.filterValue, type);
  switch (op) {
    case 'eq':
      return actual === expected;
    case 'neq':
      return actual !== expected;
    case 'gt':
      return expected !== undefined && actual > expected;
    case 'gte':
      return expected !== undefined && actual >= expected;
    case 'lt':
      return expected !== undefined && actual < expected;
    case 'lte':
      return expected !== undefined && actual <= expected;
    case 'contains':
      return typeof actual === 'string' && actual.includes(String(expected));
    case 'notContains':
      return !(typeof actual === 'string' && actual.includes(String(expected)));
    case 'in':
      return listOf(rule.filterValue).some((item) => coerce(item, type) === actual);
    case 'notIn':
      return !listOf(rule.filterValue).some((item) => coerce(item, type) === actual);
    case 'startsWith':
      return String(actual).startsWith(rule.filterValue);
    case 'endsWith':
      return String(actual).endsWith(rule.filterValue);
    case 'regexp':
      return compiled(rule.filterValue)?.test(String(actual).slice(0, MAX_REGEXP_INPUT)) ?? false;
  }
}

/** Every rule passes (AND); no rules = everything passes. */
export const matchesAll = (rules: FilterRule[], event: unknown): boolean => rules.every((rule) => matchesFilter(rule, event));

/** Compiled patterns by source, so each regexp is compiled once; null = RE2 cannot compile it. */
const compiledPatterns = new Map<string, RE2JS | null>();
const COMPILED_PATTERNS_LIMIT = 1000;

/** A pattern stored before RE2 was the engine (lookaround, `\u` escapes) compiles to null: it matches nothing. */
function compiled(pattern: string): RE2JS | null {
  let re = compiledPatterns.get(pattern);
  if (re === undefined) {
    if (compiledPatterns.size >= COMPILED_PATTERNS_LIMIT) compiledPatterns.clear();
    try {
      re = RE2JS.compile(pattern);
    } catch {
      re = null;
    }
    compiledPatterns.set(pattern, re);
  }
  return re;
}

/**
 * Why RE2 cannot run this pattern, or null. RE2 matches in time linear in the input, so any
 * pattern it compiles is safe; what it cannot express (backreferences, lookaround) is named.
 */
function compileProblem(pattern: string): string | null {
  try {
    RE2JS.compile(pattern);
    return null;
  } catch (err) {
    // The parser quotes the construct it stopped at: `\1`, `\k`, `(?=`, `(?!`, `(?<=a)b`, `(?<!a)b`.
    const message = (err as Error).message;
    const at = /`([^`]*)`/.exec(message)?.[1] ?? '';
    if (/^\\([1-9]|k)/.test(at)) return 'regexp must not use backreferences (the linear-time RE2 engine cannot run them)';
    if (/^\(\?(=|!|<=|<!)/.test(at)) return 'regexp must not use lookahead or lookbehind (the linear-time RE2 engine cannot run them)';
    return `filterValue is not a valid RE2 regexp: ${message.replace(/^error parsing regexp: /, '')}`;
  }
}

/** Why a regexp filter is refused: too long, or not a pattern RE2 can run. */
export function regexpProblem(pattern: string): string | null {
  if (pattern.length > MAX_PATTERN_LENGTH) return `regexp must be at most ${MAX_PATTERN_LENGTH} characters`;
  return compileProblem(pattern);
}
