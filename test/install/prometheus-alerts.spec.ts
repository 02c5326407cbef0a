import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { Gateway, startGateway } from '../support/gateway';
import { metricNamesIn } from '../support/promql';

const ROOT = join(__dirname, '..', '..');
/** Series Prometheus makes itself (`up`) or gets from the blackbox exporter (`probe_success`), not from the gateway. */
const NOT_FROM_THE_GATEWAY = ['up', 'probe_success'];

interface AlertRule {
  alert: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

const rules = (): AlertRule[] => {
  const file = load(readFileSync(join(ROOT, 'docs/prometheus-alerts.yml'), 'utf8')) as { groups: { name: string; rules: AlertRule[] }[] };
  return file.groups.flatMap((g) => g.rules);
};

/**
 * Every series name a live gateway's /metrics declares (from its `# TYPE` lines, so a labelled
 * counter nothing has incremented yet counts too); a histogram exports _bucket, _sum and _count.
 */
function exportedNames(metrics: string): Set<string> {
  const names = new Set<string>();
  for (const [, name, type] of metrics.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    if (type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(name + suffix);
    else names.add(name);
  }
  return names;
}

describe('docs/prometheus-alerts.yml and docs/grafana-dashboard.json', () => {
  let gw: Gateway;
  let exported: Set<string>;

  beforeAll(async () => {
    gw = await startGateway();
    const res = await gw.request('GET', '/metrics');
    expect(res.status).toBe(200);
    exported = exportedNames(res.text);
  });
  afterAll(() => gw?.close());

  it('alerts on failure rate, dead letters, queue depth, auto-disabled endpoints and readiness, each with a summary', () => {
    const all = rules();
    const uses = (metric: string, label = '') => all.filter((r) => metricNamesIn(r.expr).includes(metric) && r.expr.includes(label)).map((r) => r.alert);
    expect(uses('hookgate_delivery_attempts_total', 'status!="succeeded"')).not.toEqual([]);
    expect(uses('hookgate_delivery_attempts_total', 'status="dead"')).not.toEqual([]);
    expect(uses('hookgate_queue_depth')).not.toEqual([]);
    expect(uses('hookgate_endpoints_disabled', 'disabled_by="auto"')).not.toEqual([]);
    expect(uses('probe_success', '"hookgate-ready"')).not.toEqual([]);
    expect(all.filter((r) => !r.alert || !r.annotations?.summary).map((r) => r.alert ?? r.expr)).toEqual([]);
  });

  it('every metric an alert reads is one the gateway exports', () => {
    const unknown = rules().flatMap((r) => metricNamesIn(r.expr).filter((name) => !exported.has(name) && !NOT_FROM_THE_GATEWAY.includes(name)).map((name) => `${r.alert}: ${name}`));
    expect(exported.has('hookgate_delivery_attempts_total')).toBe(true);
    expect(unknown).toEqual([]);
  });

  it('every metric a dashboard panel reads is one the gateway exports', () => {
    const dashboard = JSON.parse(readFileSync(join(ROOT, 'docs/grafana-dashboard.json'), 'utf8'));
    const exprs: string[] = dashboard.panels.flatMap((p: { targets?: { expr: string }[] }) => (p.targets ?? []).map((t) => t.expr));
    const unknown = exprs.flatMap((expr) => metricNamesIn(expr.replaceAll('$__rate_interval', '5m').replace(/\$\w+/g, '.*')).filter((name) => !exported.has(name)));
    expect(exprs.length).toBeGreaterThan(10);
    expect(unknown).toEqual([]);
  });
});
