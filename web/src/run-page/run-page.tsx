/**
 * One run, for a person to check and fix: thumbnails with page classes and segment bands, the
 * page at full size, the document label with its scores and reason, and the edits (document
 * class, page class, boundaries) saved as one review. Everything has a key.
 */
import { useEffect, useState } from 'preact/hooks';
import { type ApiError, api, type ClassifyRun, get, type ListPage, query } from '../shared/api.js';
import { classColor, className, percent, when } from '../shared/format.js';
import { filtersToHash, rememberedQueue, toApiQuery } from '../shared/queue-filters.js';
import { navigate } from '../shared/router.js';
import { ClassChip, Confidence, Loading, Notice, ReviewPill, StatusPill } from '../shared/ui.js';
import { useAsync } from '../shared/use-async.js';
import { mayReview, type Session } from '../sign-in/sign-in.js';
import { PageImage } from './page-image.js';
import { draftSegments, moveBoundary, pageClassOf, type ReviewDraft, reviewBody, startDraft, toggleBoundary } from './review-draft.js';

const SHORTCUTS: Array<[string, string]> = [
  ['← →', 'previous / next page'],
  ['1–9', 'set the document class'],
  ['Shift + 1–9', "set the selected page's class"],
  ['a', 'accept the document class as it is'],
  ['b', 'add or remove a boundary before the selected page'],
  ['[ ]', 'move that boundary left / right'],
  ['+ −  0', 'zoom in / out / fit'],
  ['s', 'save'],
  ['n', 'save and go to the next run in the queue'],
  ['?', 'show these shortcuts'],
];

async function nextInQueue(currentId: string): Promise<string | null> {
  const filters = { ...rememberedQueue(), review_status: 'needs_review' };
  const page = await get<ListPage<ClassifyRun>>(`/v1/classify_runs${query({ ...toApiQuery(filters), limit: 5 })}`);
  return page.data.find((run) => run.id !== currentId)?.id ?? null;
}

export function RunPage({ id, session }: { id: string; session: Session }) {
  const loaded = useAsync(() => get<ClassifyRun>(`/v1/classify_runs/${id}?expand=classifier`), [id]);
  const run = loaded.data;
  if (loaded.error && !run)
    return (
      <section class="screen">
        <Notice>{loaded.error.message}</Notice>
        <button type="button" class="button" onClick={loaded.reload}>
          Try again
        </button>
      </section>
    );
  if (!run) return <Loading label="Loading the run…" />;
  return <RunReview key={run.id} run={run} reload={loaded.reload} canReview={mayReview(session)} />;
}

function RunHeader({ run }: { run: ClassifyRun }) {
  return (
    <header class="run-header">
      <a class="back" href={filtersToHash(rememberedQueue())}>
        ← Queue
      </a>
      <div class="run-title">
        <h1>{run.file_name ?? run.file_id}</h1>
        <p class="subtitle">
          <StatusPill status={run.status} /> <ReviewPill status={run.review_status} />{' '}
          <span class="muted">
            {run.classifier ? (
              <a href={`#/classifiers/${run.classifier.id}`}>
                {run.config?.name || run.classifier.id} v{run.version}
              </a>
            ) : (
              'inline classes'
            )}{' '}
            · {run.num_pages ?? '?'} pages · {when(run.created_at)} · <code>{run.id}</code>
          </span>
        </p>
      </div>
    </header>
  );
}

function RunReview({ run, reload, canReview }: { run: ClassifyRun; reload: () => void; canReview: boolean }) {
  const output = run.output;
  const [draft, setDraft] = useState<ReviewDraft | null>(output ? startDraft(output) : null);
  const [selected, setSelected] = useState(0);
  const [zoom, setZoom] = useState(1);
  const [saving, setSaving] = useState(false);
  const [message, setMessage] = useState<{ kind: 'error' | 'success' | 'info'; text: string } | null>(null);
  const [help, setHelp] = useState(false);

  const classes = [...(run.config?.classes ?? []).map((item) => item.name), 'unknown'];
  const pages = output?.pages ?? [];
  const selectedPage = pages[selected];

  const save = async (goNext: boolean) => {
    if (!output || !draft || saving) return;
    if (!canReview) {
      setMessage({ kind: 'info', text: 'This key may only read; reviewing needs a key with the review role or above.' });
      return;
    }
    setSaving(true);
    setMessage(null);
    try {
      const saved = await api<ClassifyRun>('PATCH', `/v1/classify_runs/${run.id}`, reviewBody(output, draft));
      if (goNext) {
        const next = await nextInQueue(run.id).catch(() => null);
        if (next) navigate(`/runs/${next}`);
        else navigate(`${filtersToHash(rememberedQueue())}&done=1`);
      } else {
        setMessage({ kind: 'success', text: 'Review saved.' });
        if (saved.output) setDraft(startDraft(saved.output));
        reload();
      }
    } catch (error) {
      const failure = error as ApiError;
      setMessage({ kind: 'error', text: `Not saved: ${failure.message}` });
    } finally {
      setSaving(false);
    }
  };

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if ((event.target as HTMLElement).closest('input, select, textarea') || event.ctrlKey || event.metaKey || event.altKey) return;
      if (!output || !draft) return;
      const digit = /^Digit([1-9])$/.exec(event.code);
      const page = selectedPage?.page;
      if (event.key === 'ArrowRight') setSelected((index) => Math.min(index + 1, pages.length - 1));
      else if (event.key === 'ArrowLeft') setSelected((index) => Math.max(index - 1, 0));
      else if (digit && classes[Number(digit[1]) - 1]) {
        const label = classes[Number(digit[1]) - 1];
        if (event.shiftKey && page !== undefined) setDraft({ ...draft, pageClasses: { ...draft.pageClasses, [page]: label } });
        else setDraft({ ...draft, docClass: label });
      } else if (event.key === 'a') save(false);
      else if (event.key === 'b' && page !== undefined) setDraft(toggleBoundary(output, draft, page));
      else if (event.key === '[' && page !== undefined) setDraft(moveBoundary(output, draft, page, -1));
      else if (event.key === ']' && page !== undefined) setDraft(moveBoundary(output, draft, page, 1));
      else if (event.key === '+' || event.key === '=') setZoom((value) => Math.min(value + 0.25, 3));
      else if (event.key === '-') setZoom((value) => Math.max(value - 0.25, 0.5));
      else if (event.key === '0') setZoom(1);
      else if (event.key === 's') save(false);
      else if (event.key === 'n') save(true);
      else if (event.key === '?') setHelp((value) => !value);
      else if (event.key === 'Escape') setHelp(false);
      else return;
      event.preventDefault();
    };
    addEventListener('keydown', onKey);
    return () => removeEventListener('keydown', onKey);
  });

  if (run.status === 'FAILED' || run.status === 'CANCELLED')
    return (
      <section class="screen">
        <RunHeader run={run} />
        <Notice>
          <strong>This run {run.status === 'FAILED' ? 'failed' : 'was cancelled'}</strong>
          {run.failure_reason ? <> ({run.failure_reason})</> : null}: {run.failure_message ?? 'no reason was recorded.'}
        </Notice>
        <p class="muted">
          A failed run has no pages to review. Fix the file (an unlocked PDF, a supported image) and send it again from the{' '}
          <a href="#/playground">playground</a>.
        </p>
      </section>
    );
  if (!output || !draft)
    return (
      <section class="screen">
        <RunHeader run={run} />
        <Loading label={`This run is ${run.status.toLowerCase()}; the page updates when it finishes.`} />
        <button type="button" class="button" onClick={reload}>
          Refresh
        </button>
      </section>
    );

  const segments = draftSegments(output, draft);
  const segmentOf = (page: number) => segments.findIndex((segment) => segment.first_page <= page && page <= segment.last_page);
  const scores = Object.entries(output.confidence_scores).sort((a, b) => b[1] - a[1]);
  const pageLabel = selectedPage ? output.pages.find((item) => item.page === selectedPage.page) : undefined;

  return (
    <section class="screen run-screen">
      <RunHeader run={run} />
      {message ? <Notice kind={message.kind}>{message.text}</Notice> : null}
      <div class="run-layout">
        <aside class="thumbs" aria-label="Pages">
          <ol>
            {pages.map((page, index) => {
              const segmentIndex = segmentOf(page.page);
              const segment = segments[segmentIndex];
              const startsSegment = segment?.first_page === page.page;
              const label = pageClassOf(output, draft, page.page);
              return (
                <li key={page.page} class={startsSegment && index > 0 ? 'thumb-item starts-segment' : 'thumb-item'}>
                  {index > 0 ? (
                    <button
                      type="button"
                      class={`boundary-toggle${startsSegment ? ' active' : ''}`}
                      aria-label={
                        startsSegment
                          ? `Join page ${page.page + 1} to the document before`
                          : `Start a new document at page ${page.page + 1}`
                      }
                      aria-pressed={startsSegment}
                      onClick={() => setDraft(toggleBoundary(output, draft, page.page))}
                    >
                      {startsSegment ? '✂ boundary' : '+ split here'}
                    </button>
                  ) : null}
                  <button
                    type="button"
                    class={`thumb${index === selected ? ' selected' : ''}`}
                    style={{ '--band': classColor(segment?.class ?? label, classes) }}
                    aria-current={index === selected ? 'true' : undefined}
                    aria-label={`Page ${page.page + 1}: ${className(label)}, ${percent(page.confidence)}`}
                    onClick={() => setSelected(index)}
                  >
                    <span class="segment-band" aria-hidden="true" />
                    <PageImage fileId={run.file_id} page={page.page} size={240} alt={`Page ${page.page + 1}`} />
                    <span class="thumb-caption">
                      <span class="thumb-number">p{page.page + 1}</span>
                      <ClassChip name={label} classes={classes} />
                      <span class="muted small">{draft.pageClasses[page.page] ? 'edited' : percent(page.confidence)}</span>
                    </span>
                  </button>
                </li>
              );
            })}
          </ol>
        </aside>

        <section class="viewer" aria-label="Page viewer">
          <div class="viewer-toolbar">
            <span>
              Page {selectedPage ? selectedPage.page + 1 : '–'} of {run.num_pages ?? pages.length}
            </span>
            <span class="zoom-controls">
              <button
                type="button"
                class="icon-button"
                aria-label="Zoom out"
                onClick={() => setZoom((value) => Math.max(value - 0.25, 0.5))}
              >
                −
              </button>
              <span aria-live="polite">{Math.round(zoom * 100)}%</span>
              <button type="button" class="icon-button" aria-label="Zoom in" onClick={() => setZoom((value) => Math.min(value + 0.25, 3))}>
                +
              </button>
              <button type="button" class="icon-button" onClick={() => setZoom(1)}>
                Fit
              </button>
            </span>
          </div>
          <div class="viewer-canvas">
            {selectedPage ? (
              <PageImage
                fileId={run.file_id}
                page={selectedPage.page}
                size={1600}
                alt={`Page ${selectedPage.page + 1} at full size`}
                style={{ width: `${zoom * 100}%` }}
              />
            ) : null}
          </div>
          {pageLabel ? (
            <div class="page-reason">
              <strong>Page {pageLabel.page + 1}:</strong> {pageLabel.reason}
            </div>
          ) : null}
        </section>

        <aside class="review-panel" aria-label="Review">
          <section class="panel-block">
            <h2>Document</h2>
            <div class="doc-label">
              <ClassChip name={output.classification.class} classes={classes} />
              <Confidence value={output.classification.confidence} />
            </div>
            {output.classification.suggested_class ? (
              <p class="muted small">Closest class: {className(output.classification.suggested_class)}</p>
            ) : null}
            <p class="reason">{output.classification.reason}</p>
            <label class="field">
              <span>Document class</span>
              <select
                value={draft.docClass}
                onChange={(event) => setDraft({ ...draft, docClass: (event.target as HTMLSelectElement).value })}
              >
                {classes.map((name, index) => (
                  <option key={name} value={name}>
                    {index < 9 ? `${index + 1} · ` : ''}
                    {className(name)}
                  </option>
                ))}
              </select>
            </label>
            <fieldset class="class-buttons">
              <legend class="visually-hidden">Set the document class</legend>
              {classes.slice(0, 9).map((name, index) => (
                <button
                  type="button"
                  key={name}
                  class={`class-button${draft.docClass === name ? ' active' : ''}`}
                  aria-pressed={draft.docClass === name}
                  onClick={() => setDraft({ ...draft, docClass: name })}
                >
                  <kbd>{index + 1}</kbd> {className(name)}
                </button>
              ))}
            </fieldset>
          </section>

          {selectedPage ? (
            <section class="panel-block">
              <h2>Page {selectedPage.page + 1}</h2>
              <label class="field">
                <span>Page class</span>
                <select
                  value={pageClassOf(output, draft, selectedPage.page)}
                  onChange={(event) =>
                    setDraft({
                      ...draft,
                      pageClasses: { ...draft.pageClasses, [selectedPage.page]: (event.target as HTMLSelectElement).value },
                    })
                  }
                >
                  {classes.map((name) => (
                    <option key={name} value={name}>
                      {className(name)}
                    </option>
                  ))}
                </select>
              </label>
            </section>
          ) : null}

          <section class="panel-block">
            <h2>Documents in this file</h2>
            <ol class="segment-list">
              {segments.map((segment, index) => (
                <li key={segment.first_page} style={{ '--band': classColor(segment.class, classes) }}>
                  <span class="segment-pages">
                    {segment.first_page === segment.last_page
                      ? `p${segment.first_page + 1}`
                      : `p${segment.first_page + 1}–${segment.last_page + 1}`}
                  </span>
                  <select
                    aria-label={`Class of document ${index + 1}`}
                    value={segment.class}
                    onChange={(event) =>
                      setDraft({
                        ...draft,
                        segmentClasses: { ...draft.segmentClasses, [segment.first_page]: (event.target as HTMLSelectElement).value },
                      })
                    }
                  >
                    {classes.map((name) => (
                      <option key={name} value={name}>
                        {className(name)}
                      </option>
                    ))}
                  </select>
                </li>
              ))}
            </ol>
            <p class="muted small">
              Use the <em>split here</em> buttons between pages, or <kbd>b</kbd>, <kbd>[</kbd>, <kbd>]</kbd>.
            </p>
          </section>

          <section class="panel-block">
            <h2>Scores</h2>
            <ul class="scores">
              {scores.map(([name, value]) => (
                <li key={name}>
                  <span>{className(name)}</span>
                  <span class="score-bar" aria-hidden="true">
                    <span style={{ width: `${Math.max(value * 100, 1)}%`, background: classColor(name, classes) }} />
                  </span>
                  <span class="score-value">{percent(value, 1)}</span>
                </li>
              ))}
            </ul>
          </section>

          {canReview ? null : <p class="muted small">This key may only read: edits cannot be saved.</p>}
          <div class="save-bar">
            <button type="button" class="button" disabled={saving || !canReview} onClick={() => save(false)}>
              Save <kbd>s</kbd>
            </button>
            <button type="button" class="button primary" disabled={saving || !canReview} onClick={() => save(true)}>
              {saving ? 'Saving…' : 'Save and next'} <kbd>n</kbd>
            </button>
          </div>
          <button type="button" class="link-button" onClick={() => setHelp(true)}>
            Keyboard shortcuts <kbd>?</kbd>
          </button>
        </aside>
      </div>

      {help ? (
        // biome-ignore lint/a11y/noStaticElementInteractions: a click outside closes the dialog; Escape and the Close button do too.
        // biome-ignore lint/a11y/useKeyWithClickEvents: Escape is handled by the page's key handler.
        <div class="dialog-backdrop" onClick={(event) => event.target === event.currentTarget && setHelp(false)}>
          <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="shortcuts-title">
            <h2 id="shortcuts-title">Keyboard shortcuts</h2>
            <dl class="shortcuts">
              {SHORTCUTS.map(([keys, what]) => (
                <div key={keys}>
                  <dt>
                    <kbd>{keys}</kbd>
                  </dt>
                  <dd>{what}</dd>
                </div>
              ))}
            </dl>
            <button type="button" class="button" onClick={() => setHelp(false)}>
              Close
            </button>
          </div>
        </div>
      ) : null}
    </section>
  );
}
