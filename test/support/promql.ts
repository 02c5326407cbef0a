/**
 * Just enough Prometheus for tests: the text exposition format, and an evaluator for the PromQL
 * forms our dashboard and alerts use, over one instant of samples from several processes
 * (as Prometheus would see them, each sample also labelled with its `instance`).
 *
 * Supported: selectors with = != =~ !~ matchers; sum/max/min/count with `by (…)`; rate() and
 * increase() over a range, which evaluate to the counter's current total (every counter here
 * started at zero within the range, so the increase is the total); clamp_min; histogram_quantile;
 * the binary operators / * > == against a number or a vector with the same labels.
 */

export type Labels = Record<string, string>;
export interface Sample {
  name: string;
  labels: Labels;
  value: number;
}

const SAMPLE_LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\d+)?$/;
const LABEL_PAIR = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** Samples of a /metrics text, each labelled with `instance`. */
export function parseExposition(text: string, instance: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    const match = SAMPLE_LINE.exec(line.trim());
    if (!match) throw new Error(`not an exposition line: ${line}`);
    const labels: Labels = { instance };
    for (const [, key, raw] of (match[2] ?? '').matchAll(LABEL_PAIR)) labels[key] = raw.replace(/\\n/g, '\n').replace(/\\(.)/g, '$1');
    samples.push({ name: match[1], labels, value: Number(match[3]) });
  }
  return samples;
}

/** The metric names a PromQL expression reads (not functions, keywords or label names). */
export function metricNamesIn(expr: string): string[] {
  const names = new Set<string>();
  const collect = (node: Node): void => {
    if (node.kind === 'selector') names.add(node.name);
    for (const child of childrenOf(node)) collect(child);
  };
  collect(parse(expr));
  return [...names];
}

/** Evaluates `expr` over the samples; Grafana variables are substituted first. */
export function evaluate(expr: string, samples: Sample[], variables: Record<string, string> = {}): Sample[] {
  const substituted = expr.replace(/\$(\w+)/g, (whole, name: string) => variables[name] ?? whole);
  return evalNode(parse(substituted), samples);
}

type Matcher = { label: string; op: '=' | '!=' | '=~' | '!~'; value: string };
type Node =
  | { kind: 'number'; value: number }
  | { kind: 'selector'; name: string; matchers: Matcher[] }
  | { kind: 'aggregate'; op: 'sum' | 'max' | 'min' | 'count'; by: string[] | null; arg: Node }
  | { kind: 'call'; fn: 'rate' | 'increase' | 'clamp_min' | 'histogram_quantile'; args: Node[] }
  | { kind: 'binary'; op: BinaryOp; left: Node; right: Node };

type BinaryOp = '/' | '*' | '>' | '==';
const BINARY_OPS = ['/', '*', '>', '=='];
/** Comparisons filter (keeping the left value), as PromQL's do without `bool`. */
const COMPARE: Record<BinaryOp, ((a: number, b: number) => boolean) | null> = { '/': null, '*': null, '>': (a, b) => a > b, '==': (a, b) => a === b };

function childrenOf(node: Node): Node[] {
  if (node.kind === 'aggregate') return [node.arg];
  if (node.kind === 'call') return node.args;
  if (node.kind === 'binary') return [node.left, node.right];
  return [];
}

const TOKEN = /\s*(\d+(?:ms|[smhdwy])(?![\w.])|\d+(?:\.\d+)?(?:e[-+]?\d+)?|[a-zA-Z_:][a-zA-Z0-9_:]*|"(?:[^"\\]|\\.)*"|==|=~|!~|!=|[(){}\[\],=/>*])/y;

function tokenize(expr: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < expr.length) {
    if (!expr.slice(TOKEN.lastIndex).trim()) break;
    const start = TOKEN.lastIndex;
    const match = TOKEN.exec(expr);
    if (!match) throw new Error(`cannot read PromQL at "${expr.slice(start)}" in ${expr}`);
    tokens.push(match[1]);
  }
  return tokens;
}

function parse(expr: string): Node {
  const tokens = tokenize(expr);
  let at = 0;
  const peek = () => tokens[at];
  const next = () => tokens[at++];
  const expect = (token: string) => {
    if (tokens[at] !== token) throw new Error(`expected "${token}" at token ${at} ("${tokens[at]}") in ${expr}`);
    at++;
  };
  const list = (): string[] => {
    expect('(');
    const items: string[] = [];
    while (peek() !== ')') {
      items.push(next());
      if (peek() === ',') next();
    }
    expect(')');
    return items;
  };
  const binary = (): Node => {
    let left = term();
    while (BINARY_OPS.includes(peek())) {
      const op = next() as BinaryOp;
      left = { kind: 'binary', op, left, right: term() };
    }
    return left;
  };
  const term = (): Node => {
    const token = next();
    if (token === '(') {
      const inner = binary();
      expect(')');
      return inner;
    }
    if (/^\d/.test(token)) return { kind: 'number', value: Number(token) };
    if (['sum', 'max', 'min', 'count'].includes(token)) {
      let by: string[] | null = null;
      if (peek() === 'by') {
        next();
        by = list();
      }
      expect('(');
      const arg = binary();
      expect(')');
      if (peek() === 'by') {
        next();
        by = list();
      }
      return { kind: 'aggregate', op: token as 'sum', by, arg };
    }
    if (token === 'rate' || token === 'increase') {
      expect('(');
      const selector = term();
      expect('[');
      next(); // the range: every counter here is a total since start
      expect(']');
      expect(')');
      return { kind: 'call', fn: token, args: [selector] };
    }
    if (token === 'clamp_min' || token === 'histogram_quantile') {
      expect('(');
      const first = binary();
      expect(',');
      const second = binary();
      expect(')');
      return { kind: 'call', fn: token, args: [first, second] };
    }
    if (/^[a-zA-Z_:]/.test(token)) {
      const matchers: Matcher[] = [];
      if (peek() === '{') {
        next();
        while (peek() !== '}') {
          const label = next();
          const op = next() as Matcher['op'];
          const value = JSON.parse(next()) as string;
          matchers.push({ label, op, value });
          if (peek() === ',') next();
        }
        expect('}');
      }
      return { kind: 'selector', name: token, matchers };
    }
    throw new Error(`unsupported PromQL token "${token}" in ${expr}`);
  };
  const root = binary();
  if (at !== tokens.length) throw new Error(`unsupported PromQL after token ${at} ("${tokens[at]}") in ${expr}`);
  return root;
}

const matches = (labels: Labels, m: Matcher): boolean => {
  const value = labels[m.label] ?? '';
  if (m.op === '=') return value === m.value;
  if (m.op === '!=') return value !== m.value;
  const full = new RegExp(`^(?:${m.value})$`).test(value);
  return m.op === '=~' ? full : !full;
};

const keyOf = (labels: Labels) => JSON.stringify(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)));
const withoutName = ({ labels, value }: Sample): Sample => ({ name: '', labels, value });

function evalNode(node: Node, samples: Sample[]): Sample[] {
  switch (node.kind) {
    case 'number':
      return [{ name: '', labels: {}, value: node.value }];
    case 'selector':
      return samples.filter((s) => s.name === node.name && node.matchers.every((m) => matches(s.labels, m)));
    case 'aggregate': {
      const groups = new Map<string, { labels: Labels; values: number[] }>();
      for (const s of evalNode(node.arg, samples)) {
        const labels = Object.fromEntries((node.by ?? []).filter((l) => l in s.labels).map((l) => [l, s.labels[l]]));
        const group = groups.get(keyOf(labels)) ?? { labels, values: [] };
        group.values.push(s.value);
        groups.set(keyOf(labels), group);
      }
      const reduce = { sum: (v: number[]) => v.reduce((a, b) => a + b, 0), max: (v: number[]) => Math.max(...v), min: (v: number[]) => Math.min(...v), count: (v: number[]) => v.length }[node.op];
      return [...groups.values()].map((g) => ({ name: '', labels: g.labels, value: reduce(g.values) }));
    }
    case 'call': {
      if (node.fn === 'rate' || node.fn === 'increase') return evalNode(node.args[0], samples).map(withoutName);
      if (node.fn === 'clamp_min') {
        const [min] = evalNode(node.args[1], samples);
        return evalNode(node.args[0], samples).map((s) => ({ ...withoutName(s), value: Math.max(s.value, min.value) }));
      }
      const [q] = evalNode(node.args[0], samples);
      return histogramQuantile(q.value, evalNode(node.args[1], samples));
    }
    case 'binary': {
      const { op } = node;
      const compare = COMPARE[op];
      const apply = (a: number, b: number) => (op === '/' ? a / b : op === '*' ? a * b : a);
      const right = evalNode(node.right, samples);
      const scalar = node.right.kind === 'number' ? right[0].value : null;
      const byLabels = new Map(right.map((s) => [keyOf(s.labels), s.value]));
      return evalNode(node.left, samples).flatMap((s) => {
        const other = scalar ?? byLabels.get(keyOf(s.labels));
        if (other === undefined || (compare && !compare(s.value, other))) return [];
        return [{ ...withoutName(s), value: apply(s.value, other) }];
      });
    }
  }
}

/** Prometheus's histogram_quantile: linear interpolation inside the bucket holding the rank. */
export function histogramQuantile(q: number, buckets: Sample[]): Sample[] {
  const series = new Map<string, { labels: Labels; buckets: { le: number; count: number }[] }>();
  for (const b of buckets) {
    const { le, ...labels } = b.labels;
    const entry = series.get(keyOf(labels)) ?? { labels, buckets: [] };
    entry.buckets.push({ le: le === '+Inf' ? Infinity : Number(le), count: b.value });
    series.set(keyOf(labels), entry);
  }
  return [...series.values()].map(({ labels, buckets: bs }) => {
    bs.sort((a, b) => a.le - b.le);
    const total = bs[bs.length - 1]?.count ?? 0;
    if (!bs.length || bs[bs.length - 1].le !== Infinity || total === 0) return { name: '', labels, value: NaN };
    const rank = q * total;
    const index = bs.findIndex((b) => b.count >= rank);
    const bucket = bs[index];
    if (bucket.le === Infinity) return { name: '', labels, value: bs[bs.length - 2]?.le ?? NaN };
    const lower = index === 0 ? 0 : bs[index - 1].le;
    const below = index === 0 ? 0 : bs[index - 1].count;
    const value = bucket.count === below ? lower : lower + ((bucket.le - lower) * (rank - below)) / (bucket.count - below);
    return { name: '', labels, value };
  });
}
