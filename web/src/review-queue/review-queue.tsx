/** The review queue: runs that need a person first, with filters, counts per filter and search. */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ClassifierView } from '../../../src/core/api-types.js';
import { type ClassifyRun, get, type ListPage, query } from '../shared/api.js';
import { className, percent, when } from '../shared/format.js';
import { filtersToHash, type QueueFilters, readFilters, rememberQueue, toApiQuery } from '../shared/queue-filters.js';
import { navigate } from '../shared/router.js';
import { ClassChip, Confidence, Empty, Loading, Notice, PageHeader, ReviewPill, StatusPill } from '../shared/ui.js';
import { useAsync } from '../shared/use-async.js';

interface RunCounts {
  total: number;
  by_review_status: Record<string, number>;
  by_status: Record<string, number>;
  by_class: Record<string, number>;
  by_classifier: Record<string, number>;
  by_tag: Record<string, number>;
}

const TABS = [
  { value: 'needs_review', label: 'Needs review' },
  { value: 'reviewed', label: 'Reviewed' },
  { value: 'auto_accepted', label: 'Auto-accepted' },
  { value: 'all', label: 'All' },
];

function CountedOptions({ counts, names }: { counts: Record<string, number>; names?: Record<string, string> }) {
  return (
    <>
      {Object.entries(counts)
        .sort((a, b) => b[1] - a[1])
        .map(([value, count]) => (
          <option key={value} value={value}>
            {names?.[value] ?? className(value)} ({count})
          </option>
        ))}
    </>
  );
}

/** Why a run waits for a person, in the words of the rule that put it there. */
function whyReview(run: ClassifyRun): string | null {
  if (run.review_status !== 'needs_review') return null;
  if (run.status === 'FAILED') return 'Failed';
  const output = run.output;
  if (!output) return null;
  if (output.classification.class === 'unknown') return 'No class fits';
  const below = run.config?.settings?.review_below;
  if (below === undefined) return null;
  const confidences = [
    output.classification.confidence,
    ...(output.mode === 'split' ? output.segments.map((item) => item.confidence) : []),
  ];
  return `A ${output.mode === 'split' ? 'document' : 'label'} at ${percent(Math.min(...confidences))}, below ${percent(below)}`;
}

export function ReviewQueue({ params }: { params: URLSearchParams }) {
  const filters = readFilters(params);
  const key = JSON.stringify(filters);
  const [search, setSearch] = useState(filters.q ?? '');
  const [extra, setExtra] = useState<ClassifyRun[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [focused, setFocused] = useState(0);
  // On a phone the filters fold away behind one button; on a desktop they are always shown.
  const [filtersOpen, setFiltersOpen] = useState(false);
  const activeFilters = (['classifier_id', 'class', 'status', 'tag', 'batch_id', 'from', 'to'] as const).filter(
    (name) => filters[name],
  ).length;
  const tableRef = useRef<HTMLTableElement>(null);

  const classifiers = useAsync(() => get<ListPage<ClassifierView>>('/v1/classifiers?limit=100'), []);
  const counts = useAsync(() => get<RunCounts>(`/v1/classify_runs/counts${query(toApiQuery({ ...filters }))}`), [key]);
  const runs = useAsync(async () => {
    const page = await get<ListPage<ClassifyRun>>(`/v1/classify_runs${query({ ...toApiQuery(filters), limit: 50, expand: 'classifier' })}`);
    setExtra([]);
    setCursor(page.has_more ? (page.next_cursor ?? null) : null);
    return page;
  }, [key]);
  // Remembered whenever the filters change, so "save and next" walks the same queue.
  useEffect(() => rememberQueue(filters), [key]);

  const names: Record<string, string> = {};
  for (const item of classifiers.data?.data ?? []) names[item.id] = item.name || item.id;
  const rows = [...(runs.data?.data ?? []), ...extra];

  const setFilter = (name: keyof QueueFilters, value: string | undefined) => {
    const next: QueueFilters = { ...filters, [name]: value || undefined };
    if (name === 'review_status' && value === 'all') delete next.review_status;
    navigate(filtersToHash(next));
  };

  useEffect(() => {
    const handle = setTimeout(() => {
      if ((filters.q ?? '') !== search) setFilter('q', search);
    }, 300);
    return () => clearTimeout(handle);
  }, [search]);

  const loadMore = async () => {
    if (!cursor) return;
    const page = await get<ListPage<ClassifyRun>>(
      `/v1/classify_runs${query({ ...toApiQuery(filters), limit: 50, cursor, expand: 'classifier' })}`,
    );
    setExtra((previous) => [...previous, ...page.data]);
    setCursor(page.has_more ? (page.next_cursor ?? null) : null);
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if ((event.target as HTMLElement).closest('input, select, textarea')) return;
    if (event.key === 'j' || event.key === 'ArrowDown') setFocused((index) => Math.min(index + 1, rows.length - 1));
    else if (event.key === 'k' || event.key === 'ArrowUp') setFocused((index) => Math.max(index - 1, 0));
    else if (event.key === 'Enter' && rows[focused]) navigate(`/runs/${rows[focused].id}`);
    else return;
    event.preventDefault();
  };
  useEffect(() => {
    addEventListener('keydown', onKeyDown);
    return () => removeEventListener('keydown', onKeyDown);
  });
  useEffect(() => {
    tableRef.current?.querySelector<HTMLElement>(`[data-row="${focused}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [focused]);

  const statusCounts = counts.data?.by_review_status ?? {};
  const allCount = Object.values(statusCounts).reduce((sum, value) => sum + value, 0);
  const activeTab = filters.review_status ?? 'all';

  return (
    <section class="screen" aria-labelledby="queue-title">
      <PageHeader
        title="Review queue"
        subtitle="Runs that need a person first: unknown, below the classifier's review threshold, or failed."
      >
        <a class="button" href="#/playground">
          Classify files
        </a>
      </PageHeader>

      <div class="tabs" role="tablist" aria-label="Review status">
        {TABS.map((tab) => {
          const count = tab.value === 'all' ? allCount : (statusCounts[tab.value] ?? 0);
          return (
            <button
              type="button"
              role="tab"
              key={tab.value}
              aria-selected={activeTab === tab.value}
              class="tab"
              onClick={() => setFilter('review_status', tab.value)}
            >
              {tab.label}
              <span class="tab-count">{counts.data ? count : '·'}</span>
            </button>
          );
        })}
      </div>

      <button type="button" class="button filters-toggle" aria-expanded={filtersOpen} onClick={() => setFiltersOpen(!filtersOpen)}>
        Filters{activeFilters ? ` (${activeFilters})` : ''}
      </button>
      <form class={`filters${filtersOpen ? ' open' : ''}`} onSubmit={(event) => event.preventDefault()} aria-label="Filters">
        <label class="filter filter-search">
          <span>Search file names</span>
          <input
            type="search"
            value={search}
            placeholder="e.g. invoice-2026"
            onInput={(event) => setSearch((event.target as HTMLInputElement).value)}
          />
        </label>
        <label class="filter">
          <span>Classifier</span>
          <select
            value={filters.classifier_id ?? ''}
            onChange={(event) => setFilter('classifier_id', (event.target as HTMLSelectElement).value)}
          >
            <option value="">All classifiers</option>
            {filters.classifier_id && !counts.data?.by_classifier[filters.classifier_id] ? (
              <option value={filters.classifier_id}>{names[filters.classifier_id] ?? filters.classifier_id} (0)</option>
            ) : null}
            <CountedOptions counts={counts.data?.by_classifier ?? {}} names={names} />
          </select>
        </label>
        <label class="filter">
          <span>Class</span>
          <select value={filters.class ?? ''} onChange={(event) => setFilter('class', (event.target as HTMLSelectElement).value)}>
            <option value="">All classes</option>
            <CountedOptions counts={counts.data?.by_class ?? {}} />
          </select>
        </label>
        <label class="filter">
          <span>Status</span>
          <select value={filters.status ?? ''} onChange={(event) => setFilter('status', (event.target as HTMLSelectElement).value)}>
            <option value="">Any status</option>
            <CountedOptions counts={counts.data?.by_status ?? {}} />
          </select>
        </label>
        <label class="filter">
          <span>Tag</span>
          <select value={filters.tag ?? ''} onChange={(event) => setFilter('tag', (event.target as HTMLSelectElement).value)}>
            <option value="">Any tag</option>
            <CountedOptions counts={counts.data?.by_tag ?? {}} />
          </select>
        </label>
        <label class="filter">
          <span>Batch</span>
          <input
            value={filters.batch_id ?? ''}
            placeholder="batch_…"
            onChange={(event) => setFilter('batch_id', (event.target as HTMLInputElement).value.trim())}
          />
        </label>
        <label class="filter filter-date">
          <span>From</span>
          <input type="date" value={filters.from ?? ''} onChange={(event) => setFilter('from', (event.target as HTMLInputElement).value)} />
        </label>
        <label class="filter filter-date">
          <span>To</span>
          <input type="date" value={filters.to ?? ''} onChange={(event) => setFilter('to', (event.target as HTMLInputElement).value)} />
        </label>
      </form>

      {runs.error ? <Notice>{runs.error.message}</Notice> : null}
      {runs.loading && !runs.data ? <Loading label="Loading the queue…" /> : null}
      {runs.data && rows.length === 0 ? (
        <Empty title={activeTab === 'needs_review' ? 'Nothing needs review' : 'No runs match these filters'}>
          {activeTab === 'needs_review' ? 'Runs that are unknown, unsure or failed show up here as they finish. ' : 'Try fewer filters. '}
          <a href="#/playground">Classify some files</a> to fill it.
        </Empty>
      ) : null}
      {rows.length > 0 ? (
        <div class="table-wrap">
          <table class="runs-table" ref={tableRef} aria-label="Runs">
            <thead>
              <tr>
                <th scope="col">File</th>
                <th scope="col">Class</th>
                <th scope="col">Confidence</th>
                <th scope="col" class="hide-narrow">
                  Classifier
                </th>
                <th scope="col">Review</th>
                <th scope="col" class="hide-narrow">
                  Created
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((run, index) => {
                const output = run.output;
                return (
                  <tr
                    key={run.id}
                    data-row={index}
                    class={index === focused ? 'focused' : undefined}
                    onClick={() => navigate(`/runs/${run.id}`)}
                  >
                    <td class="file-cell">
                      <a href={`#/runs/${run.id}`} onClick={(event) => event.stopPropagation()}>
                        {run.file_name ?? run.file_id}
                      </a>
                      <span class="muted small">
                        {run.num_pages ? `${run.num_pages} page${run.num_pages === 1 ? '' : 's'}` : ''}
                        {output?.mode === 'split' && output.segments.length > 1 ? ` · ${output.segments.length} documents` : ''}
                      </span>
                    </td>
                    <td>
                      {output ? <ClassChip name={output.classification.class} /> : <StatusPill status={run.status} />}
                      {run.status === 'FAILED' ? <span class="muted small block">{run.failure_reason}</span> : null}
                    </td>
                    <td>{output ? <Confidence value={output.classification.confidence} /> : <span class="muted">–</span>}</td>
                    <td class="hide-narrow">
                      {run.classifier ? (names[run.classifier.id] ?? run.classifier.id) : <span class="muted">inline</span>}
                    </td>
                    <td>
                      <ReviewPill status={run.review_status} />
                      {whyReview(run) ? <span class="muted small block">{whyReview(run)}</span> : null}
                    </td>
                    <td class="hide-narrow muted">{when(run.created_at)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {cursor ? (
            <button type="button" class="button load-more" onClick={loadMore}>
              Load more
            </button>
          ) : null}
          <p class="hint">
            <kbd>j</kbd>/<kbd>k</kbd> move, <kbd>Enter</kbd> opens a run.
          </p>
        </div>
      ) : null}
    </section>
  );
}
