/**
 * How good a classifier is on the runs people reviewed: accuracy, per-class precision and recall,
 * the confusion matrix and the reliability diagram; and how a chosen version would do on them.
 */
import { useEffect, useState } from 'preact/hooks';
import type {
  ClassifierEvaluationView,
  ClassifierVersionView,
  ClassifierView,
  EvaluationReport,
  EvaluationView,
} from '../../../src/core/api-types.js';
import { type ApiError, api, get, type ListPage } from '../shared/api.js';
import { className, percent, when } from '../shared/format.js';
import { navigate } from '../shared/router.js';
import { Empty, Loading, Notice, PageHeader } from '../shared/ui.js';
import { useAsync } from '../shared/use-async.js';

function Metrics({ report }: { report: EvaluationReport }) {
  return (
    <div class="metric-cards">
      <div class="metric">
        <span class="metric-label">Reviewed runs</span>
        <span class="metric-value">{report.runs}</span>
      </div>
      <div class="metric">
        <span class="metric-label">Accuracy</span>
        <span class="metric-value" data-testid="accuracy">
          {percent(report.accuracy, 1)}
        </span>
      </div>
      <div class="metric">
        <span class="metric-label">Macro F1</span>
        <span class="metric-value">{percent(report.macro_f1, 1)}</span>
      </div>
      <div class="metric">
        <span class="metric-label">Calibration error</span>
        <span class="metric-value">{percent(report.ece, 1)}</span>
      </div>
    </div>
  );
}

function PerClass({ report }: { report: EvaluationReport }) {
  return (
    <table class="data-table" aria-label="Per-class precision and recall">
      <thead>
        <tr>
          <th scope="col">Class</th>
          <th scope="col">Precision</th>
          <th scope="col">Recall</th>
          <th scope="col">F1</th>
          <th scope="col">Reviewed</th>
        </tr>
      </thead>
      <tbody>
        {Object.entries(report.per_class).map(([name, scores]) => (
          <tr key={name}>
            <th scope="row">{className(name)}</th>
            <td>{percent(scores.precision)}</td>
            <td>{percent(scores.recall)}</td>
            <td>{percent(scores.f1)}</td>
            <td>{scores.support}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Confusion({ report }: { report: EvaluationReport }) {
  const labels = [
    ...new Set([...Object.keys(report.confusion), ...Object.values(report.confusion).flatMap((row) => Object.keys(row))]),
  ].sort();
  const max = Math.max(1, ...Object.values(report.confusion).flatMap((row) => Object.values(row)));
  return (
    <div class="table-wrap">
      <table class="confusion" aria-label="Confusion matrix: rows are reviewed classes, columns predicted classes">
        <thead>
          <tr>
            <th scope="col">reviewed ↓ / predicted →</th>
            {labels.map((label) => (
              <th scope="col" key={label}>
                {className(label)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {labels.map((gold) => (
            <tr key={gold}>
              <th scope="row">{className(gold)}</th>
              {labels.map((predicted) => {
                const count = report.confusion[gold]?.[predicted] ?? 0;
                const strength = count / max;
                return (
                  <td
                    key={predicted}
                    class={gold === predicted ? 'diagonal' : count ? 'mistake' : ''}
                    style={{ '--strength': String(strength) }}
                  >
                    {count || ''}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Reliability({ report }: { report: EvaluationReport }) {
  const size = 220;
  const pad = 28;
  const scale = (value: number) => pad + value * size;
  return (
    <figure class="reliability">
      <svg viewBox={`0 0 ${size + pad * 2} ${size + pad * 2}`} role="img" aria-label="Reliability diagram: accuracy per confidence bin">
        <rect x={pad} y={pad} width={size} height={size} class="plot-bg" />
        <line x1={scale(0)} y1={scale(1)} x2={scale(1)} y2={scale(0)} class="diagonal-line" />
        {report.reliability.map((bin) =>
          bin.count ? (
            <g key={bin.lower}>
              <rect
                x={scale(bin.lower) + 2}
                width={(bin.upper - bin.lower) * size - 4}
                y={pad + (1 - bin.accuracy) * size}
                height={bin.accuracy * size}
                class="bar"
              >
                <title>
                  {percent(bin.lower)}–{percent(bin.upper)}: {bin.count} runs, {percent(bin.accuracy)} right
                </title>
              </rect>
              <circle cx={scale(bin.mean_confidence)} cy={pad + (1 - bin.mean_confidence) * size} r="3" class="dot" />
            </g>
          ) : null,
        )}
        <text x={pad} y={size + pad + 18} class="axis">
          0%
        </text>
        <text x={size + pad - 24} y={size + pad + 18} class="axis">
          100%
        </text>
        <text x={pad + size / 2 - 30} y={size + pad + 18} class="axis">
          confidence
        </text>
        <text x="2" y={pad + 10} class="axis">
          right
        </text>
      </svg>
      <figcaption class="muted small">
        Bars: share right per confidence bin; dots: mean confidence. Calibrated bars follow the diagonal.
      </figcaption>
    </figure>
  );
}

function Report({ report }: { report: EvaluationReport }) {
  return (
    <>
      <Metrics report={report} />
      <div class="eval-grid">
        <section class="card">
          <h2>Per class</h2>
          <PerClass report={report} />
        </section>
        <section class="card">
          <h2>Reliability</h2>
          <Reliability report={report} />
        </section>
        <section class="card span-2">
          <h2>Confusion matrix</h2>
          <Confusion report={report} />
        </section>
      </div>
    </>
  );
}

function Rerun({ classifier }: { classifier: ClassifierView }) {
  const versions = useAsync(() => get<ListPage<ClassifierVersionView>>(`/v1/classifiers/${classifier.id}/versions`), [classifier.id]);
  const history = useAsync(() => get<ListPage<EvaluationView>>(`/v1/classifiers/${classifier.id}/evaluations`), [classifier.id]);
  const [version, setVersion] = useState(classifier.version);
  const [current, setCurrent] = useState<EvaluationView | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!current || current.status === 'succeeded' || current.status === 'failed') return;
    const timer = setTimeout(async () => {
      try {
        setCurrent(await get<EvaluationView>(`/v1/evaluations/${current.id}`));
      } catch (caught) {
        setError((caught as ApiError).message);
      }
    }, 800);
    return () => clearTimeout(timer);
  }, [current]);

  const start = async () => {
    setError(null);
    try {
      setCurrent(await api<EvaluationView>('POST', `/v1/classifiers/${classifier.id}/evaluations`, { version }));
      history.reload();
    } catch (caught) {
      setError((caught as ApiError).message);
    }
  };

  return (
    <section class="card">
      <h2>How would a version do on these runs?</h2>
      <p class="muted small">Classifies every reviewed file again with the chosen version, leaving out each file's own example.</p>
      <div class="form-row">
        <label class="field">
          <span>Version</span>
          <select value={version} onChange={(event) => setVersion(Number((event.target as HTMLSelectElement).value))}>
            {(versions.data?.data ?? []).map((item) => (
              <option key={item.version} value={item.version}>
                v{item.version}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          class="button primary"
          onClick={start}
          disabled={current?.status === 'running' || current?.status === 'queued'}
        >
          Run evaluation
        </button>
      </div>
      {error ? <Notice>{error}</Notice> : null}
      {current ? (
        <div class="rerun">
          <div class="progress-line">
            <span>
              v{current.version}: {current.done} of {current.total} runs · {current.status}
            </span>
            <progress max={current.total} value={current.done} aria-label="Evaluation progress" />
          </div>
          {current.error ? <Notice>{current.error}</Notice> : null}
          {current.status === 'succeeded' ? <Metrics report={current.report} /> : null}
        </div>
      ) : null}
      {(history.data?.data ?? []).length > 0 ? (
        <table class="data-table" aria-label="Earlier evaluations">
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Runs</th>
              <th scope="col">Accuracy</th>
              <th scope="col">Status</th>
              <th scope="col">When</th>
            </tr>
          </thead>
          <tbody>
            {history.data?.data.map((item) => (
              <tr key={item.id}>
                <td>v{item.version}</td>
                <td>
                  {item.done}/{item.total}
                </td>
                <td>{percent(item.report.accuracy, 1)}</td>
                <td>{item.status}</td>
                <td>{when(item.created_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}

export function EvaluationScreen({ classifierId }: { classifierId: string | null }) {
  const classifiers = useAsync(() => get<ListPage<ClassifierView>>('/v1/classifiers?limit=100'), []);
  const chosen = classifierId ?? classifiers.data?.data[0]?.id ?? null;
  const classifier = classifiers.data?.data.find((item) => item.id === chosen);
  const evaluation = useAsync(
    async () => (chosen ? get<ClassifierEvaluationView>(`/v1/classifiers/${chosen}/evaluation`) : null),
    [chosen],
  );

  return (
    <section class="screen">
      <PageHeader title="Evaluation" subtitle="The reviewed runs of a classifier are its evaluation set.">
        <label class="field inline">
          <span>Classifier</span>
          <select value={chosen ?? ''} onChange={(event) => navigate(`/evaluation/${(event.target as HTMLSelectElement).value}`)}>
            {(classifiers.data?.data ?? []).map((item) => (
              <option key={item.id} value={item.id}>
                {item.name || item.id}
              </option>
            ))}
          </select>
        </label>
      </PageHeader>
      {classifiers.error ? <Notice>{classifiers.error.message}</Notice> : null}
      {evaluation.error ? <Notice>{evaluation.error.message}</Notice> : null}
      {classifiers.data && !chosen ? <Empty title="No classifiers yet">Create a classifier and review some of its runs.</Empty> : null}
      {evaluation.loading && !evaluation.data ? <Loading /> : null}
      {evaluation.data && evaluation.data.runs === 0 ? (
        <Empty title="No reviewed runs yet">Review runs of this classifier in the queue; each review joins its evaluation set.</Empty>
      ) : null}
      {evaluation.data && evaluation.data.runs > 0 ? <Report report={evaluation.data} /> : null}
      {classifier && evaluation.data && evaluation.data.runs > 0 ? <Rerun classifier={classifier} /> : null}
      {evaluation.data ? <p class="muted small">Computed {when(new Date().toISOString())} from the newest review of each file.</p> : null}
    </section>
  );
}
