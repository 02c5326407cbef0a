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
 * - `regexp` (filterType string only) is checked for safety when the filter is created.
 */
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
/** A regexp only ever sees this many characters of the field, so its worst case stays bounded. */
export const MAX_REGEXP_INPUT = 256;
/**
 * Upper bound on the backtracking paths a pattern may have on MAX_REGEXP_INPUT characters: the
 * product of its choice points (an unbounded quantifier counts as the input length, `{n,m}` as
 * m-n+1, `?` as 2, an alternation as its branch count). Two unbounded quantifiers (`.*a.*`) fit.
 */
const MAX_BACKTRACKING = 300_000;
const TOO_COMPLEX = 'regexp is too complex: at most two unbounded quantifiers (* + {n,}) and a few optional parts';

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
      return compiled(rule.filterValue).test(String(actual).slice(0, MAX_REGEXP_INPUT));
  }
}

/** Every rule passes (AND); no rules = everything passes. */
export const matchesAll = (rules: FilterRule[], event: unknown): boolean => rules.every((rule) => matchesFilter(rule, event));

const cache = new Map<string, RegExp>();
const CACHE_LIMIT = 1000;

function compiled(pattern: string): RegExp {
  let re = cache.get(pattern);
  if (!re) {
    if (cache.size >= CACHE_LIMIT) cache.clear();
    re = new RegExp(pattern);
    cache.set(pattern, re);
  }
  return re;
}

/**
 * A conservative "safe regex" test: a length cap, no backreferences, no quantified group that
 * itself holds a quantifier or an alternation (star height 1: `(a+)+`, `(a|aa)*`), and a bounded
 * product of choice points, so no pattern can backtrack for long on MAX_REGEXP_INPUT characters.
 */
export function regexpProblem(pattern: string): string | null {
  if (pattern.length > MAX_PATTERN_LENGTH) return `regexp must be at most ${MAX_PATTERN_LENGTH} characters`;
  try {
    new RegExp(pattern);
  } catch (err) {
    return `filterValue is not a valid regexp: ${(err as Error).message}`;
  }
  if (/\\[1-9]|\\k</.test(pattern)) return 'regexp must not use backreferences';
  // One frame per open group: does it hold choice points, and how many branches does it have.
  const groups: { choices: boolean; branches: number }[] = [{ choices: false, branches: 1 }];
  let paths = 1;
  let lastAtomWasChoiceGroup = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    const quantifier = readQuantifier(pattern, i);
    if (quantifier) {
      if (lastAtomWasChoiceGroup && quantifier.repeats) return 'regexp must not nest quantifiers or repeat alternations, e.g. (a+)+ or (a|b)*';
      if (quantifier.factor > 1) groups.forEach((g) => (g.choices = true));
      paths *= quantifier.factor;
      i += quantifier.length - 1;
      if (pattern[i + 1] === '?') i++; // lazy marker
      lastAtomWasChoiceGroup = false;
      continue;
    }
    lastAtomWasChoiceGroup = false;
    if (c === '\\') i++;
    else if (c === '[') i = endOfClass(pattern, i);
    else if (c === '(') groups.push({ choices: false, branches: 1 });
    else if (c === '|') {
      groups[groups.length - 1].branches++;
      groups.forEach((g) => (g.choices = true));
    } else if (c === ')') {
      const closed = groups.pop()!;
      paths *= closed.branches;
      lastAtomWasChoiceGroup = closed.choices;
    }
    if (paths > MAX_BACKTRACKING) return TOO_COMPLEX;
  }
  paths *= groups[0].branches;
  return paths > MAX_BACKTRACKING ? TOO_COMPLEX : null;
}

/** The quantifier at i: its length, its backtracking factor, whether it repeats its atom. */
function readQuantifier(pattern: string, i: number): { length: number; factor: number; repeats: boolean } | null {
  const c = pattern[i];
  if (c === '*' || c === '+') return { length: 1, factor: MAX_REGEXP_INPUT + 1, repeats: true };
  if (c === '?') return pattern[i - 1] === '(' ? null : { length: 1, factor: 2, repeats: false };
  if (c !== '{') return null;
  const m = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(i));
  if (!m) return null;
  const min = Number(m[1]);
  const max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
  const factor = Math.min(max - min + 1, MAX_REGEXP_INPUT + 1);
  return { length: m[0].length, factor, repeats: max > 1 };
}

function endOfClass(pattern: string, start: number): number {
  for (let i = start + 1; i < pattern.length; i++) {
    if (pattern[i] === '\\') i++;
    else if (pattern[i] === ']') return i;
  }
  return pattern.length;
}
