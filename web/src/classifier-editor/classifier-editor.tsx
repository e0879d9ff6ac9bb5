/**
 * Create or change a classifier: classes (name, description, keywords, route) and settings. Each
 * save is a new version; versions are listed and two can be compared side by side. The
 * classifier's examples can be added and removed.
 */
import { useState } from 'preact/hooks';
import type { ClassDefinition, ClassifierSettings, ClassifierVersionView, ClassifierView } from '../../../src/core/api-types.js';
import { type ApiError, api, get, type ListPage } from '../shared/api.js';
import { className, when } from '../shared/format.js';
import { filtersToHash } from '../shared/queue-filters.js';
import { navigate } from '../shared/router.js';
import { Loading, Notice, PageHeader } from '../shared/ui.js';
import { useAsync } from '../shared/use-async.js';
import { mayWrite, type Session } from '../sign-in/sign-in.js';

interface Example {
  id: string;
  class: string;
  source: string;
  file_id: string | null;
  run_id: string | null;
  num_pages: number;
  created_at: string;
}

interface ClassRow {
  name: string;
  description: string;
  keywords: string;
  route: string;
}

const toRow = (item: ClassDefinition): ClassRow => ({
  name: item.name,
  description: item.description ?? '',
  keywords: (item.keywords ?? []).join(', '),
  route: item.route ?? '',
});

function toDefinition(row: ClassRow): ClassDefinition {
  const keywords = row.keywords
    .split(',')
    .map((word) => word.trim())
    .filter(Boolean);
  return {
    name: row.name.trim(),
    ...(row.description.trim() ? { description: row.description.trim() } : {}),
    ...(keywords.length ? { keywords } : {}),
    ...(row.route.trim() ? { route: row.route.trim() } : {}),
  };
}

const numberOrUndefined = (text: string) => (text.trim() === '' ? undefined : Number(text));

export function ClassifierEditor({ id, session }: { id: string | null; session: Session }) {
  const loaded = useAsync(async () => (id ? get<ClassifierView>(`/v1/classifiers/${id}`) : null), [id]);
  if (loaded.error && !loaded.data) return <Notice>{loaded.error.message}</Notice>;
  if (loaded.loading && loaded.data === undefined) return <Loading />;
  return <Editor key={id ?? 'new'} classifier={loaded.data ?? null} reload={loaded.reload} canWrite={mayWrite(session)} />;
}

function Editor({ classifier, reload, canWrite }: { classifier: ClassifierView | null; reload: () => void; canWrite: boolean }) {
  const [name, setName] = useState(classifier?.name ?? '');
  const [description, setDescription] = useState(classifier?.description ?? '');
  const [rows, setRows] = useState<ClassRow[]>(classifier ? classifier.classes.map(toRow) : [toRow({ name: '' })]);
  const settings = classifier?.settings ?? {};
  const [mode, setMode] = useState(settings.mode ?? 'document');
  const [threshold, setThreshold] = useState(settings.threshold?.toString() ?? '');
  const [reviewBelow, setReviewBelow] = useState(settings.review_below?.toString() ?? '');
  const [pageRange, setPageRange] = useState(settings.page_range ?? '');
  const [message, setMessage] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);
  const [saving, setSaving] = useState(false);

  const setRow = (index: number, change: Partial<ClassRow>) => setRows(rows.map((row, at) => (at === index ? { ...row, ...change } : row)));

  const save = async (event: Event) => {
    event.preventDefault();
    setSaving(true);
    setMessage(null);
    const nextSettings: ClassifierSettings = { ...settings, mode: mode as ClassifierSettings['mode'] };
    nextSettings.threshold = numberOrUndefined(threshold);
    nextSettings.review_below = numberOrUndefined(reviewBelow);
    nextSettings.page_range = pageRange.trim() || undefined;
    const body = {
      name,
      description,
      classes: rows.filter((row) => row.name.trim()).map(toDefinition),
      settings: JSON.parse(JSON.stringify(nextSettings)),
    };
    try {
      const saved = classifier
        ? await api<ClassifierView>('PATCH', `/v1/classifiers/${classifier.id}`, body)
        : await api<ClassifierView>('POST', '/v1/classifiers', body);
      setMessage({ kind: 'success', text: `Saved as version ${saved.version}.` });
      if (!classifier) navigate(`/classifiers/${saved.id}`);
      else reload();
    } catch (error) {
      setMessage({ kind: 'error', text: (error as ApiError).message });
    } finally {
      setSaving(false);
    }
  };

  return (
    <section class="screen">
      <PageHeader
        title={classifier ? classifier.name || classifier.id : 'New classifier'}
        subtitle={
          classifier ? (
            <>
              Version {classifier.version} · <code>{classifier.id}</code>
            </>
          ) : (
            'Saving creates version 1.'
          )
        }
      >
        {classifier ? (
          <>
            <a class="button" href={filtersToHash({ classifier_id: classifier.id, review_status: 'reviewed' })}>
              Reviewed runs
            </a>
            <a class="button" href={`#/evaluation/${classifier.id}`}>
              Evaluation
            </a>
          </>
        ) : null}
      </PageHeader>
      {message ? <Notice kind={message.kind}>{message.text}</Notice> : null}
      <div class="editor-layout">
        <form class="card editor-form" onSubmit={save} aria-label="Classifier">
          <div class="form-row">
            <label class="field grow">
              <span>Name</span>
              <input value={name} onInput={(event) => setName((event.target as HTMLInputElement).value)} required />
            </label>
          </div>
          <label class="field">
            <span>Description</span>
            <input value={description} onInput={(event) => setDescription((event.target as HTMLInputElement).value)} />
          </label>
          <h2>Classes</h2>
          <div class="class-rows">
            {rows.map((row, index) => (
              <fieldset class="class-row" key={index}>
                <legend class="visually-hidden">Class {index + 1}</legend>
                <label class="field">
                  <span>Name</span>
                  <input value={row.name} onInput={(event) => setRow(index, { name: (event.target as HTMLInputElement).value })} />
                </label>
                <label class="field field-description">
                  <span>Description</span>
                  <input
                    value={row.description}
                    onInput={(event) => setRow(index, { description: (event.target as HTMLInputElement).value })}
                  />
                </label>
                <label class="field">
                  <span>Keywords</span>
                  <input value={row.keywords} onInput={(event) => setRow(index, { keywords: (event.target as HTMLInputElement).value })} />
                </label>
                <label class="field">
                  <span>Route</span>
                  <input
                    value={row.route}
                    placeholder="webhook name or URL"
                    onInput={(event) => setRow(index, { route: (event.target as HTMLInputElement).value })}
                  />
                </label>
                <button
                  type="button"
                  class="icon-button"
                  aria-label={`Remove class ${row.name || index + 1}`}
                  onClick={() => setRows(rows.filter((_, at) => at !== index))}
                >
                  ✕
                </button>
              </fieldset>
            ))}
          </div>
          <button type="button" class="button" onClick={() => setRows([...rows, toRow({ name: '' })])}>
            + Add class
          </button>
          <h2>Settings</h2>
          <div class="form-row">
            <label class="field">
              <span>Mode</span>
              <select value={mode} onChange={(event) => setMode((event.target as HTMLSelectElement).value as typeof mode)}>
                <option value="document">document</option>
                <option value="page">page</option>
                <option value="split">split</option>
              </select>
            </label>
            <label class="field">
              <span>Threshold (unknown below)</span>
              <input
                inputMode="decimal"
                value={threshold}
                placeholder="0.25"
                onInput={(event) => setThreshold((event.target as HTMLInputElement).value)}
              />
            </label>
            <label class="field">
              <span>Review below</span>
              <input
                inputMode="decimal"
                value={reviewBelow}
                placeholder="e.g. 0.8"
                onInput={(event) => setReviewBelow((event.target as HTMLInputElement).value)}
              />
            </label>
            <label class="field">
              <span>Pages to read</span>
              <input
                value={pageRange}
                placeholder="all, or 1-3"
                onInput={(event) => setPageRange((event.target as HTMLInputElement).value)}
              />
            </label>
          </div>
          <div class="save-bar">
            {canWrite ? null : <span class="muted small">This key may not change classifiers.</span>}
            <button type="submit" class="button primary" disabled={saving || !canWrite}>
              {saving ? 'Saving…' : classifier ? `Save as version ${classifier.version + 1}` : 'Create classifier'}
            </button>
          </div>
        </form>
        {classifier ? (
          <div class="editor-side">
            <Versions classifier={classifier} />
            <Examples classifier={classifier} />
          </div>
        ) : null}
      </div>
    </section>
  );
}

function describeClasses(version: ClassifierVersionView): Map<string, string> {
  return new Map(version.classes.map((item) => [item.name, JSON.stringify(toDefinition(toRow(item)))]));
}

function Versions({ classifier }: { classifier: ClassifierView }) {
  const versions = useAsync(
    () => get<ListPage<ClassifierVersionView>>(`/v1/classifiers/${classifier.id}/versions`),
    [classifier.id, classifier.version],
  );
  const list = versions.data?.data ?? [];
  const [left, setLeft] = useState<number | null>(null);
  const [right, setRight] = useState<number | null>(null);
  const a = list.find((item) => item.version === (left ?? list[1]?.version));
  const b = list.find((item) => item.version === (right ?? list[0]?.version));
  return (
    <section class="card">
      <h2>Versions</h2>
      {versions.error ? <Notice>{versions.error.message}</Notice> : null}
      <ol class="version-list">
        {list.map((item) => (
          <li key={item.version}>
            <strong>v{item.version}</strong>{' '}
            <span class="muted small">
              {when(item.created_at)} · {item.classes.length} classes
            </span>
          </li>
        ))}
      </ol>
      {list.length > 1 && a && b ? (
        <>
          <div class="form-row">
            <label class="field">
              <span>Compare</span>
              <select value={a.version} onChange={(event) => setLeft(Number((event.target as HTMLSelectElement).value))}>
                {list.map((item) => (
                  <option key={item.version} value={item.version}>
                    v{item.version}
                  </option>
                ))}
              </select>
            </label>
            <label class="field">
              <span>with</span>
              <select value={b.version} onChange={(event) => setRight(Number((event.target as HTMLSelectElement).value))}>
                {list.map((item) => (
                  <option key={item.version} value={item.version}>
                    v{item.version}
                  </option>
                ))}
              </select>
            </label>
          </div>
          <VersionDiff a={a} b={b} />
        </>
      ) : null}
    </section>
  );
}

type DiffState = 'added' | 'removed' | 'changed' | 'same';

interface DiffRow {
  name: string;
  kind: 'class' | 'setting';
  before: string;
  after: string;
  state: DiffState;
}

/** What changed between two versions first; what stayed the same folded into one line. */
function diffVersions(a: ClassifierVersionView, b: ClassifierVersionView): DiffRow[] {
  const left = describeClasses(a);
  const right = describeClasses(b);
  const rows: DiffRow[] = [];
  for (const name of new Set([...left.keys(), ...right.keys()])) {
    const before = left.get(name);
    const after = right.get(name);
    const state: DiffState = !before ? 'added' : !after ? 'removed' : before !== after ? 'changed' : 'same';
    rows.push({
      name: className(name),
      kind: 'class',
      before: before ? (state === 'changed' ? 'as before' : '✓') : '—',
      after: after ? (state === 'changed' ? 'changed' : '✓') : '—',
      state,
    });
  }
  const settingsA = a.settings as Record<string, unknown>;
  const settingsB = b.settings as Record<string, unknown>;
  for (const name of new Set([...Object.keys(settingsA), ...Object.keys(settingsB)])) {
    const before = settingsA[name] === undefined ? '—' : String(settingsA[name]);
    const after = settingsB[name] === undefined ? '—' : String(settingsB[name]);
    rows.push({
      name,
      kind: 'setting',
      before,
      after,
      state: before === after ? 'same' : before === '—' ? 'added' : after === '—' ? 'removed' : 'changed',
    });
  }
  return rows;
}

function VersionDiff({ a, b }: { a: ClassifierVersionView; b: ClassifierVersionView }) {
  const rows = diffVersions(a, b);
  const changed = rows.filter((row) => row.state !== 'same');
  const same = rows.filter((row) => row.state === 'same');
  return (
    <>
      {changed.length === 0 ? <p class="muted small">No differences.</p> : null}
      {changed.length > 0 ? (
        <table class="diff" aria-label={`Version ${a.version} against version ${b.version}`}>
          <thead>
            <tr>
              <th scope="col">Changed</th>
              <th scope="col">v{a.version}</th>
              <th scope="col">v{b.version}</th>
            </tr>
          </thead>
          <tbody>
            {changed.map((row) => (
              <tr key={`${row.kind}-${row.name}`} class={`diff-${row.state}`}>
                <th scope="row">
                  {row.name} <span class="muted small">{row.kind}</span>
                </th>
                <td>{row.before}</td>
                <td>{row.after}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {same.length > 0 ? (
        <details class="unchanged">
          <summary>
            {same.filter((row) => row.kind === 'class').length} classes and {same.filter((row) => row.kind === 'setting').length} settings
            unchanged
          </summary>
          <p class="small muted">{same.map((row) => row.name).join(', ')}</p>
        </details>
      ) : null}
    </>
  );
}

function Examples({ classifier }: { classifier: ClassifierView }) {
  const examples = useAsync(() => get<ListPage<Example>>(`/v1/classifiers/${classifier.id}/examples`), [classifier.id]);
  const [label, setLabel] = useState(classifier.classes[0]?.name ?? '');
  const [error, setError] = useState<string | null>(null);
  const add = async (file: File | undefined) => {
    if (!file) return;
    setError(null);
    const form = new FormData();
    form.append('class', label);
    form.append('file', file, file.name);
    try {
      await api('POST', `/v1/classifiers/${classifier.id}/examples`, form);
      examples.reload();
    } catch (caught) {
      setError((caught as ApiError).message);
    }
  };
  const remove = async (example: Example) => {
    try {
      await api('DELETE', `/v1/classifiers/${classifier.id}/examples/${example.id}`);
      examples.reload();
    } catch (caught) {
      setError((caught as ApiError).message);
    }
  };
  return (
    <section class="card">
      <h2>Examples</h2>
      <p class="muted small">Labelled documents the classifier learns from: uploaded ones and reviewed runs.</p>
      {error ? <Notice>{error}</Notice> : null}
      <ul class="example-list">
        {(examples.data?.data ?? []).map((example) => (
          <li key={example.id}>
            <span class="chip-plain">{className(example.class)}</span>
            <span class="muted small">
              {example.source === 'review' && example.run_id ? <a href={`#/runs/${example.run_id}`}>reviewed run</a> : 'uploaded'} ·{' '}
              {example.num_pages} p · {when(example.created_at)}
            </span>
            <button type="button" class="link-button" onClick={() => remove(example)} aria-label={`Remove example ${example.id}`}>
              Remove
            </button>
          </li>
        ))}
        {examples.data && examples.data.data.length === 0 ? <li class="muted small">No examples yet.</li> : null}
      </ul>
      <div class="form-row">
        <label class="field">
          <span>Class</span>
          <select value={label} onChange={(event) => setLabel((event.target as HTMLSelectElement).value)}>
            {classifier.classes.map((item) => (
              <option key={item.name} value={item.name}>
                {className(item.name)}
              </option>
            ))}
          </select>
        </label>
        <label class="field">
          <span>Add an example file</span>
          <input type="file" accept=".pdf,image/*" onChange={(event) => add((event.target as HTMLInputElement).files?.[0])} />
        </label>
      </div>
    </section>
  );
}
