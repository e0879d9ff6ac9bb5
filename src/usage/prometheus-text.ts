/**
 * Prometheus text exposition (format 0.0.4), written out directly: docsort's metrics are a
 * handful of families, most read from the database at scrape time, so a small formatter is
 * simpler than adapting a metrics registry to values it does not own.
 */

export type Labels = Record<string, string>;

export interface Sample {
  labels?: Labels;
  value: number;
}

export interface HistogramSample {
  labels?: Labels;
  /** Upper bounds, ascending, without +Inf. */
  bounds: readonly number[];
  /** Cumulative count of observations ≤ each bound (same length as `bounds`). */
  cumulativeCounts: readonly number[];
  count: number;
  sum: number;
}

export type MetricFamily =
  | { name: string; help: string; type: 'counter' | 'gauge'; samples: Sample[] }
  | { name: string; help: string; type: 'histogram'; samples: HistogramSample[] };

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export function formatMetrics(families: readonly MetricFamily[]): string {
  const lines: string[] = [];
  for (const family of families) {
    lines.push(`# HELP ${family.name} ${escapeHelp(family.help)}`);
    lines.push(`# TYPE ${family.name} ${family.type}`);
    if (family.type === 'histogram') {
      for (const sample of family.samples) {
        sample.bounds.forEach((bound, index) => {
          lines.push(
            `${family.name}_bucket${formatLabels({ ...sample.labels, le: formatNumber(bound) })} ${formatNumber(sample.cumulativeCounts[index])}`,
          );
        });
        lines.push(`${family.name}_bucket${formatLabels({ ...sample.labels, le: '+Inf' })} ${formatNumber(sample.count)}`);
        lines.push(`${family.name}_sum${formatLabels(sample.labels)} ${formatNumber(sample.sum)}`);
        lines.push(`${family.name}_count${formatLabels(sample.labels)} ${formatNumber(sample.count)}`);
      }
    } else {
      for (const sample of family.samples) lines.push(`${family.name}${formatLabels(sample.labels)} ${formatNumber(sample.value)}`);
    }
  }
  return lines.join('\n') + '\n';
}

function formatLabels(labels: Labels | undefined): string {
  if (!labels) return '';
  const entries = Object.entries(labels);
  if (entries.length === 0) return '';
  return `{${entries.map(([name, value]) => `${name}="${escapeLabel(value)}"`).join(',')}}`;
}

function formatNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function escapeHelp(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

/** An in-process histogram per label set, for values only this process sees (HTTP latency). */
export class LocalHistogram {
  private readonly series = new Map<string, { labels: Labels; counts: number[]; count: number; sum: number }>();

  constructor(readonly bounds: readonly number[]) {}

  observe(labels: Labels, value: number): void {
    const key = JSON.stringify(labels);
    let entry = this.series.get(key);
    if (!entry) {
      entry = { labels, counts: this.bounds.map(() => 0), count: 0, sum: 0 };
      this.series.set(key, entry);
    }
    for (let i = 0; i < this.bounds.length; i++) if (value <= this.bounds[i]) entry.counts[i] += 1;
    entry.count += 1;
    entry.sum += value;
  }

  samples(): HistogramSample[] {
    return [...this.series.values()].map((entry) => ({
      labels: entry.labels,
      bounds: this.bounds,
      cumulativeCounts: [...entry.counts],
      count: entry.count,
      sum: entry.sum,
    }));
  }
}
