import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import type { EndpointStats } from './api';
import { DataTable, ms, percent } from './components';

interface Series {
  label: string;
  unit: string;
  color: string;
  values: (number | null)[];
}

/** One small uPlot line chart over the 24 hourly buckets; the same figures are in the table below it. */
function HourlyChart({ hours, series, label }: { hours: number[]; series: Series; label: string }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = host.current!;
    const plot = new uPlot(
      {
        // Two charts side by side when there is room, one under the other on a phone.
        width: Math.round(Math.max(280, Math.min(520, (el.parentElement!.parentElement!.clientWidth - 24) / 2))),
        height: 160,
        legend: { show: false },
        cursor: { show: false },
        scales: { x: { time: true } },
        axes: [{}, { label: series.unit, size: 56 }],
        series: [{}, { label: series.label, stroke: series.color, width: 2, spanGaps: false, points: { show: true, size: 5 } }],
      },
      [hours, series.values],
      el,
    );
    return () => plot.destroy();
  }, [hours.join(), series.values.join()]);
  return (
    <figure class="chart">
      <figcaption>
        {series.label} per hour ({series.unit})
      </figcaption>
      <div role="img" aria-label={label} ref={host} />
    </figure>
  );
}

/** Success rate and p95 latency per hour over the last 24 h, as charts and as text. */
export function HealthChart({ stats }: { stats: EndpointStats }) {
  const hours = stats.buckets.map((b) => Date.parse(b.start) / 1000);
  const rate = stats.buckets.map((b) => (b.attempts ? (100 * b.succeeded) / b.attempts : null));
  const latency = stats.buckets.map((b) => b.p95LatencyMs);
  const t = stats.totals;
  const active = stats.buckets.filter((b) => b.attempts > 0);
  return (
    <div class="health">
      <p id="health-figures">
        Last 24 h: success rate <strong>{percent(t.successRate)}</strong> ({t.succeeded} of {t.attempts} attempts succeeded, {t.failed} failed); latency p50{' '}
        <strong>{ms(t.p50LatencyMs)}</strong>, p95 <strong>{ms(t.p95LatencyMs)}</strong>.
      </p>
      <div class="charts">
        <HourlyChart hours={hours} label="Success rate per hour over the last 24 hours (figures in the table below)" series={{ label: 'Success rate', unit: '%', color: '#116329', values: rate }} />
        <HourlyChart hours={hours} label="p95 latency per hour over the last 24 hours (figures in the table below)" series={{ label: 'p95 latency', unit: 'ms', color: '#0b57d0', values: latency }} />
      </div>
      <DataTable
        caption="Hours with attempts (last 24 h)"
        columns={['Hour starting', 'Attempts', 'Succeeded', 'Failed', 'Success rate', 'p95 latency']}
        empty="No attempt in the last 24 hours."
        rows={active.map((b) => (
          <tr>
            <td>{new Date(b.start).toLocaleString()}</td>
            <td>{b.attempts}</td>
            <td>{b.succeeded}</td>
            <td>{b.failed}</td>
            <td>{percent(b.succeeded / b.attempts)}</td>
            <td>{ms(b.p95LatencyMs)}</td>
          </tr>
        ))}
      />
    </div>
  );
}
