/** Pages and credits by day, classifier and tag; webhook deliveries with their answers and redelivery. */
import { useState } from 'preact/hooks';
import type { ClassifierView, DeliveryView, UsageReport, WebhookView } from '../../../src/core/api-types.js';
import { type ApiError, api, get, type ListPage, query } from '../shared/api.js';
import { when } from '../shared/format.js';
import type { Session } from '../sign-in/sign-in.js';
import { Empty, Loading, Notice, PageHeader } from '../shared/ui.js';
import { useAsync } from '../shared/use-async.js';

function isoDay(offsetDays: number): string {
  const date = new Date();
  date.setUTCDate(date.getUTCDate() + offsetDays);
  return date.toISOString().slice(0, 10);
}

type Day = UsageReport['by_day'][number];

/** Every day of the period, days without runs as zero, so the chart's time axis is even. */
function everyDay(report: UsageReport): Day[] {
  const known = new Map(report.by_day.map((day) => [day.day, day]));
  const days: Day[] = [];
  for (let at = new Date(`${report.from}T00:00:00Z`); at.toISOString().slice(0, 10) <= report.to; at.setUTCDate(at.getUTCDate() + 1)) {
    const day = at.toISOString().slice(0, 10);
    days.push(known.get(day) ?? { day, runs: 0, pages: 0, credits: 0, llm_tokens: { input: 0, output: 0 } });
  }
  return days;
}

function DayChart({ report }: { report: UsageReport }) {
  const days = everyDay(report);
  const max = Math.max(1, ...days.map((day) => day.pages));
  const width = 720;
  const height = 160;
  const left = 36;
  const barWidth = (width - left) / Math.max(days.length, 1);
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${width} ${height + 24}`} role="img" aria-label={`Pages classified per day, at most ${max} a day`}>
        <line x1={left} y1={0} x2={width} y2={0} class="grid-line" />
        <line x1={left} y1={height / 2} x2={width} y2={height / 2} class="grid-line" />
        <line x1={left} y1={height} x2={width} y2={height} class="axis-line" />
        <text x={0} y={10} class="axis">
          {max}
        </text>
        <text x={0} y={height / 2 + 4} class="axis">
          {Math.round(max / 2)}
        </text>
        <text x={0} y={height} class="axis">
          0
        </text>
        {days.map((day, index) => {
          const barHeight = (day.pages / max) * height;
          return (
            <g key={day.day}>
              <rect x={left + index * barWidth + 1} y={height - barHeight} width={Math.max(barWidth - 2, 1)} height={barHeight} class="bar">
                <title>
                  {day.day}: {day.pages} pages, {day.credits} credits, {day.runs} runs
                </title>
              </rect>
              {index % Math.ceil(days.length / 6) === 0 ? (
                <text x={left + index * barWidth + 1} y={height + 16} class="axis">
                  {day.day.slice(5)}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
      <figcaption class="muted small">Pages per day (UTC); hover a bar for credits and runs.</figcaption>
    </figure>
  );
}

function Deliveries({ webhook }: { webhook: WebhookView }) {
  const deliveries = useAsync(() => get<ListPage<DeliveryView>>(`/v1/webhooks/${webhook.id}/deliveries?limit=20`), [webhook.id]);
  const [message, setMessage] = useState<string | null>(null);
  const redeliver = async (delivery: DeliveryView) => {
    try {
      await api('POST', `/v1/webhooks/${webhook.id}/deliveries/${delivery.id}/redeliver`);
      setMessage(`Delivery ${delivery.id} queued again.`);
      deliveries.reload();
    } catch (error) {
      setMessage((error as ApiError).message);
    }
  };
  return (
    <>
      {message ? <Notice kind="info">{message}</Notice> : null}
      {deliveries.error ? <Notice>{deliveries.error.message}</Notice> : null}
      {deliveries.data && deliveries.data.data.length === 0 ? <p class="muted">No deliveries yet.</p> : null}
      <div class="table-wrap">
        <table class="data-table" aria-label={`Deliveries to ${webhook.url}`}>
          <thead>
            <tr>
              <th scope="col">Event</th>
              <th scope="col">Status</th>
              <th scope="col">Response</th>
              <th scope="col">Attempts</th>
              <th scope="col">When</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {deliveries.data?.data.map((delivery) => {
              const last = delivery.attempt_log[delivery.attempt_log.length - 1];
              return (
                <tr key={delivery.id}>
                  <td>
                    <code>{delivery.event_type}</code>
                  </td>
                  <td>
                    <span class={`pill pill-delivery-${delivery.status}`}>{delivery.status}</span>
                  </td>
                  <td class="small">
                    {delivery.last_status_code ?? delivery.last_error ?? '–'}
                    {last?.response_body ? (
                      <details>
                        <summary>body</summary>
                        <pre>{last.response_body}</pre>
                      </details>
                    ) : null}
                  </td>
                  <td>{delivery.attempts}</td>
                  <td class="muted">{when(delivery.created_at)}</td>
                  <td>
                    <button type="button" class="button small" onClick={() => redeliver(delivery)}>
                      Redeliver
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </>
  );
}

export function UsageScreen({ session }: { session: Session }) {
  const [days, setDays] = useState(30);
  const usage = useAsync(() => get<UsageReport>(`/v1/usage${query({ from: isoDay(-days + 1), to: isoDay(0) })}`), [days]);
  const webhooks = useAsync(() => get<ListPage<WebhookView>>('/v1/webhooks'), []);
  const classifiers = useAsync(() => get<ListPage<ClassifierView>>('/v1/classifiers?limit=100'), []);
  const names = new Map((classifiers.data?.data ?? []).map((item) => [item.id, item.name || item.id]));
  const [chosen, setChosen] = useState<string | null>(null);
  const hook = webhooks.data?.data.find((item) => item.id === (chosen ?? webhooks.data?.data[0]?.id));
  const report = usage.data;
  return (
    <section class="screen">
      <PageHeader
        title="Usage & webhooks"
        subtitle={
          session.role && session.role !== 'admin'
            ? `Workspace ${session.workspace}: the usage of the key you signed in with.`
            : 'Every key, classifier and tag of the workspace.'
        }
      >
        <label class="field inline">
          <span>Period</span>
          <select value={days} onChange={(event) => setDays(Number((event.target as HTMLSelectElement).value))}>
            <option value={7}>Last 7 days</option>
            <option value={30}>Last 30 days</option>
            <option value={90}>Last 90 days</option>
          </select>
        </label>
      </PageHeader>
      {usage.error ? <Notice>{usage.error.message}</Notice> : null}
      {usage.loading && !report ? <Loading /> : null}
      {report ? (
        <>
          <div class="metric-cards">
            <div class="metric">
              <span class="metric-label">Pages</span>
              <span class="metric-value">{report.totals.pages}</span>
            </div>
            <div class="metric">
              <span class="metric-label">Credits</span>
              <span class="metric-value">{report.totals.credits}</span>
            </div>
            <div class="metric">
              <span class="metric-label">Runs</span>
              <span class="metric-value">{report.totals.runs}</span>
            </div>
            <div class="metric">
              <span class="metric-label">Credits left</span>
              <span class="metric-value">{report.quota?.credits_remaining ?? '∞'}</span>
            </div>
          </div>
          <div class="eval-grid">
            <section class="card span-2">
              <h2>Pages by day</h2>
              <DayChart report={report} />
            </section>
            <section class="card">
              <h2>By classifier</h2>
              <table class="data-table" aria-label="Usage by classifier">
                <thead>
                  <tr>
                    <th scope="col">Classifier</th>
                    <th scope="col">Pages</th>
                    <th scope="col">Credits</th>
                  </tr>
                </thead>
                <tbody>
                  {report.by_classifier.map((row) => (
                    <tr key={row.classifier_id ?? 'inline'}>
                      <td>
                        {row.classifier_id ? (
                          <a href={`#/classifiers/${row.classifier_id}`}>{names.get(row.classifier_id) ?? row.classifier_id}</a>
                        ) : (
                          'inline classes'
                        )}
                      </td>
                      <td>{row.pages}</td>
                      <td>{row.credits}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
            <section class="card">
              <h2>By tag</h2>
              {report.by_tag.length === 0 ? <p class="muted small">No tagged runs; tag runs with metadata.usage_tags.</p> : null}
              <table class="data-table" aria-label="Usage by tag">
                <tbody>
                  {report.by_tag.map((row) => (
                    <tr key={row.tag}>
                      <td>{row.tag}</td>
                      <td>{row.pages} pages</td>
                      <td>{row.credits} credits</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          </div>
        </>
      ) : null}
      <section class="card">
        <h2>Webhook deliveries</h2>
        {webhooks.error ? <Notice>{webhooks.error.message}</Notice> : null}
        {webhooks.data && webhooks.data.data.length === 0 ? (
          <Empty title="No webhooks">Create one with POST /v1/webhooks to get events such as classify_run.needs_review.</Empty>
        ) : null}
        {hook ? (
          <>
            <label class="field inline">
              <span>Webhook</span>
              <select value={hook.id} onChange={(event) => setChosen((event.target as HTMLSelectElement).value)}>
                {webhooks.data?.data.map((item) => (
                  <option key={item.id} value={item.id}>
                    {item.name ?? item.url}
                  </option>
                ))}
              </select>
            </label>
            <p class="muted small">
              {hook.url} · {hook.events.join(', ') || 'routes only'}
            </p>
            <Deliveries webhook={hook} />
          </>
        ) : null}
      </section>
    </section>
  );
}
