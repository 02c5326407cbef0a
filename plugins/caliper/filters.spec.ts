import { FilterOperation, FilterRule, FilterType, filterProblem, matchesAll, matchesFilter, MAX_PATTERN_LENGTH, MAX_REGEXP_INPUT, regexpProblem, valueAt } from './filters';

const event = {
  type: 'GradeEvent',
  action: 'Graded',
  actor: { id: 'https://example.edu/users/554433', type: 'Person' },
  object: { id: 'https://example.edu/attempts/1', type: 'Attempt', count: '3', keywords: ['math', 'algebra'], late: 'false' },
  generated: { score: 12.5, passed: true, items: [{ type: 'xpEarned', value: 80 }] },
};

const rule = (filterKey: string, filterOperation: FilterOperation, filterValue: string, filterType: FilterType = 'string'): FilterRule => ({ filterKey, filterOperation, filterValue, filterType });

describe('Caliper filter engine', () => {
  it.each([
    // key, operation, value, type, matches
    ['actor.id', 'eq', 'https://example.edu/users/554433', 'string', true],
    ['actor.id', 'eq', 'https://example.edu/users/1', 'string', false],
    ['actor.type', 'neq', 'Bot', 'string', true],
    ['actor.type', 'neq', 'Person', 'string', false],
    ['generated.score', 'gt', '12', 'number', true],
    ['generated.score', 'gt', '12.5', 'number', false],
    ['generated.score', 'gte', '12.5', 'number', true],
    ['generated.score', 'lt', '13', 'number', true],
    ['generated.score', 'lte', '12', 'number', false],
    ['object.count', 'eq', '3', 'number', true], // a numeric string coerces to a number
    ['object.count', 'gt', '10', 'number', false], // numeric, not lexicographic ("3" > "10" as text)
    ['object.count', 'gt', '10', 'string', true], // lexicographic as text
    ['generated.score', 'eq', '12.5', 'string', true], // a number coerces to text
    ['generated.passed', 'eq', 'true', 'boolean', true],
    ['generated.passed', 'eq', 'FALSE', 'boolean', false],
    ['object.late', 'eq', 'false', 'boolean', true], // "false" coerces to false
    ['object.late', 'neq', 'true', 'boolean', true],
    ['actor.id', 'contains', 'users/55', 'string', true],
    ['actor.id', 'contains', 'groups', 'string', false],
    ['object.keywords', 'contains', 'algebra', 'string', true], // an array field: element test
    ['object.keywords', 'notContains', 'geometry', 'string', true],
    ['actor.id', 'notContains', 'users', 'string', false],
    ['type', 'in', 'ViewEvent, GradeEvent', 'string', true],
    ['type', 'in', 'ViewEvent,NavigationEvent', 'string', false],
    ['generated.score', 'in', '1, 12.5, 20', 'number', true],
    ['type', 'notIn', 'ViewEvent,NavigationEvent', 'string', true],
    ['type', 'notIn', 'GradeEvent', 'string', false],
    ['actor.id', 'startsWith', 'https://example.edu/', 'string', true],
    ['actor.id', 'startsWith', 'http://', 'string', false],
    ['object.id', 'endsWith', '/attempts/1', 'string', true],
    ['object.id', 'endsWith', '/attempts/2', 'string', false],
    ['actor.id', 'regexp', '^https://example\\.edu/users/\\d+$', 'string', true],
    ['action', 'regexp', '^(Started|Submitted)$', 'string', false],
    ['generated.items.0.value', 'gte', '80', 'number', true], // numeric segments index arrays
    // a missing field fails everything but the negated operations
    ['object.missing', 'eq', 'x', 'string', false],
    ['object.missing', 'neq', 'x', 'string', true],
    ['object.missing', 'notIn', 'x', 'string', true],
    ['object.missing', 'notContains', 'x', 'string', true],
    ['object.missing', 'gt', '1', 'number', false],
    // a value that does not coerce behaves as missing
    ['actor.id', 'eq', '1', 'number', false],
    ['actor', 'eq', '[object Object]', 'string', false],
  ] as const)('%s %s %j (%s) → %s', (key, op, value, type, expected) => {
    const r = rule(key, op, value, type);
    expect(filterProblem(r)).toBeNull();
    expect(matchesFilter(r, event)).toBe(expected);
  });

  it('ANDs every rule; no rule lets everything through', () => {
    expect(matchesAll([], event)).toBe(true);
    expect(matchesAll([rule('type', 'eq', 'GradeEvent'), rule('generated.score', 'gt', '10', 'number')], event)).toBe(true);
    expect(matchesAll([rule('type', 'eq', 'GradeEvent'), rule('generated.score', 'gt', '20', 'number')], event)).toBe(false);
  });

  it('follows only own properties of the event', () => {
    expect(valueAt(event, '__proto__.constructor')).toBeUndefined();
    expect(valueAt(event, 'actor.toString')).toBeUndefined();
    expect(valueAt('text', 'length')).toBeUndefined();
  });

  it.each([
    [rule('actor..id', 'eq', 'x'), 'filterKey'],
    [rule('generated.score', 'eq', 'twelve', 'number'), 'filterValue'],
    [rule('generated.score', 'in', '1,x', 'number'), 'filterValue'],
    [rule('generated.passed', 'eq', 'yes', 'boolean'), 'filterValue'],
    [rule('generated.passed', 'gt', 'true', 'boolean'), 'filterOperation'],
    [rule('generated.score', 'startsWith', '1', 'number'), 'filterOperation'],
    [rule('generated.score', 'regexp', '^1', 'number'), 'filterOperation'],
    [rule('actor.id', 'regexp', '(unclosed'), 'filterValue'],
  ] as const)('refuses a filter that cannot work: %j', (r, field) => {
    expect(filterProblem(r)?.field).toBe(field);
  });

  it.each([
    ['(a)\\1', 'backreferences'],
    ['(?<x>a)\\k<x>', 'backreferences'],
    ['foo(?=bar)', 'lookahead or lookbehind'],
    ['foo(?!bar)', 'lookahead or lookbehind'],
    ['(?<=foo)bar', 'lookahead or lookbehind'],
    ['(?<!foo)bar', 'lookahead or lookbehind'],
    ['(unclosed', 'not a valid RE2 regexp'],
    ['x'.repeat(MAX_PATTERN_LENGTH + 1), `at most ${MAX_PATTERN_LENGTH} characters`],
  ])('refuses the regexp %s, naming why', (pattern, why) => {
    expect(regexpProblem(pattern)).toContain(why);
  });

  // Catastrophic on a backtracking engine, linear on RE2: accepted, and they still mean what they say.
  it.each([
    ['\\w*a?\\w*b|c$', `${'a'.repeat(MAX_REGEXP_INPUT - 1)}c`, true],
    ['\\w*a?\\w*b|c$', 'a'.repeat(MAX_REGEXP_INPUT), false],
    ['\\w*a?\\w*b|c$', 'xxb-', true],
    ['\\w*a?\\w*b|c$', 'c-', false],
    ['(a+)+$', `${'a'.repeat(100)}!`, false],
    ['(a|aa)+$', 'aaaa', true],
    ['(\\w+\\s?)*$', `${'word '.repeat(40)}!`, true],
    ['.*.*.*x', `${'y'.repeat(200)}x`, true],
  ])('runs the backtracking-hostile regexp %s on RE2 (%#)', (pattern, value, expected) => {
    const r = rule('actor.id', 'regexp', pattern);
    expect(filterProblem(r)).toBeNull();
    expect(matchesFilter(r, { actor: { id: value } })).toBe(expected);
  });

  it.each(['^https://example\\.edu/users/\\d+$', '.*math.*', '^(Started|Completed|Submitted)$', '[a-z]{2,8}-\\d{4}', '^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-', '(ab)+c', '[(+*]+', '(?i)^graded$'])(
    'accepts the ordinary regexp %s',
    (pattern) => {
      expect(regexpProblem(pattern)).toBeNull();
    },
  );

  it('a stored pattern RE2 cannot run (from before RE2 was the engine) matches nothing instead of failing the fan-out', () => {
    expect(matchesFilter(rule('action', 'regexp', 'Gra(?=ded)'), event)).toBe(false);
    expect(matchesFilter(rule('action', 'regexp', '(?i)^graded$'), event)).toBe(true);
  });

  it('tests a regexp on a bounded prefix of the field', () => {
    const long = { actor: { id: `${'a'.repeat(MAX_REGEXP_INPUT)}TAIL` } };
    expect(matchesFilter(rule('actor.id', 'regexp', '^a+$'), long)).toBe(true);
    expect(matchesFilter(rule('actor.id', 'regexp', 'TAIL'), long)).toBe(false);
  });
});
