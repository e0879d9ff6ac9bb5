/** Drop files, pick a classifier or type classes, and watch the results arrive file by file. */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { BatchView, ClassifierView } from '../../../src/core/api-types.js';
import { type ApiError, api, type ClassifyRun, get, type ListPage } from '../shared/api.js';
import { ClassChip, Confidence, Notice, PageHeader, ReviewPill, StatusPill } from '../shared/ui.js';
import { useAsync } from '../shared/use-async.js';
import { mayWrite, type Session } from '../sign-in/sign-in.js';

const ACCEPT = '.pdf,.png,.jpg,.jpeg,.gif,.webp,.bmp,.tif,.tiff,application/pdf,image/*';

interface Item {
  key: string;
  name: string;
  runId?: string;
  run?: ClassifyRun;
  error?: string;
  state: 'uploading' | 'waiting' | 'done' | 'error';
}

const isFinal = (run: ClassifyRun) => ['PROCESSED', 'FAILED', 'CANCELLED'].includes(run.status);

export function Playground({ session }: { session: Session }) {
  const classifiers = useAsync(() => get<ListPage<ClassifierView>>('/v1/classifiers?limit=100'), []);
  const [classifierId, setClassifierId] = useState('');
  const [typed, setTyped] = useState('invoice, receipt, contract, letter');
  const [mode, setMode] = useState('document');
  const [items, setItems] = useState<Item[]>([]);
  const [dragging, setDragging] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (!classifierId && classifiers.data?.data[0]) setClassifierId(classifiers.data.data[0].id);
  }, [classifiers.data]);

  // Results arrive by polling the runs still open.
  useEffect(() => {
    const open = items.filter((item) => item.runId && item.state === 'waiting');
    if (open.length === 0) return;
    const timer = setTimeout(async () => {
      const updates = await Promise.all(open.map((item) => get<ClassifyRun>(`/v1/classify_runs/${item.runId}`).catch(() => null)));
      setItems((previous) =>
        previous.map((item) => {
          const run = updates.find((update) => update?.id === item.runId);
          return run ? { ...item, run, state: isFinal(run) ? 'done' : 'waiting' } : item;
        }),
      );
    }, 700);
    return () => clearTimeout(timer);
  }, [items]);

  const update = (key: string, change: Partial<Item>) =>
    setItems((previous) => previous.map((item) => (item.key === key ? { ...item, ...change } : item)));

  const send = async (files: File[]) => {
    setError(null);
    if (files.length === 0) return;
    const classes = typed
      .split(/[,\n]/)
      .map((name) => name.trim())
      .filter(Boolean);
    if (classifierId === 'typed' && classes.length === 0) {
      setError('Type at least one class, or choose a saved classifier.');
      return;
    }
    const fresh = files.map((file, index) => ({
      key: `${Date.now()}-${index}-${file.name}`,
      name: file.name,
      state: 'uploading' as const,
    }));
    setItems((previous) => [...fresh, ...previous]);
    if (classifierId !== 'typed' && files.length > 1) {
      // Several files for a saved classifier go as one batch.
      const form = new FormData();
      for (const file of files) form.append('file', file, file.name);
      try {
        const batch = await api<BatchView>('POST', `/v1/classifiers/${classifierId}/batches`, form);
        for (const item of fresh) {
          const entry = batch.files.find((file) => file.file_name === item.name);
          const rejected = batch.rejected_files?.find((file) => file.file_name === item.name);
          if (entry) update(item.key, { runId: entry.run_id, state: 'waiting' });
          else update(item.key, { state: 'error', error: rejected?.message ?? 'The server did not take this file.' });
        }
      } catch (caught) {
        for (const item of fresh) update(item.key, { state: 'error', error: (caught as ApiError).message });
      }
      return;
    }
    await Promise.all(
      files.map(async (file, index) => {
        const form = new FormData();
        form.append('file', file, file.name);
        if (classifierId === 'typed')
          form.append('config', JSON.stringify({ classes: classes.map((name) => ({ name })), settings: { mode } }));
        else form.append('classifier', JSON.stringify({ id: classifierId }));
        try {
          const run = await api<ClassifyRun>('POST', '/v1/classify_runs', form);
          update(fresh[index].key, { runId: run.id, run, state: isFinal(run) ? 'done' : 'waiting' });
        } catch (caught) {
          update(fresh[index].key, { state: 'error', error: (caught as ApiError).message });
        }
      }),
    );
  };

  const done = items.filter((item) => item.state === 'done' || item.state === 'error').length;

  return (
    <section class="screen">
      <PageHeader title="Playground" subtitle="Drop PDFs or images (JPEG, PNG, GIF, WebP, BMP, TIFF) and see how docsort reads them." />
      <div class="playground-setup">
        <label class="field">
          <span>Classify with</span>
          <select value={classifierId} onChange={(event) => setClassifierId((event.target as HTMLSelectElement).value)}>
            {(classifiers.data?.data ?? []).map((item) => (
              <option key={item.id} value={item.id}>
                {item.name || item.id} (v{item.version})
              </option>
            ))}
            <option value="typed">Classes I type here…</option>
          </select>
        </label>
        {classifierId === 'typed' ? (
          <>
            <label class="field grow">
              <span>Classes, separated by commas</span>
              <input value={typed} onInput={(event) => setTyped((event.target as HTMLInputElement).value)} />
            </label>
            <label class="field">
              <span>Mode</span>
              <select value={mode} onChange={(event) => setMode((event.target as HTMLSelectElement).value)}>
                <option value="document">One document per file</option>
                <option value="page">Each page</option>
                <option value="split">Split bundles</option>
              </select>
            </label>
          </>
        ) : null}
      </div>
      {error ? <Notice>{error}</Notice> : null}
      {mayWrite(session) ? null : (
        <Notice kind="info">This key ({session.role}) may not classify files; the playground needs a key with the write role.</Notice>
      )}
      {/* biome-ignore lint/a11y/noStaticElementInteractions: a drop target for the mouse; the "Choose files" button inside is the keyboard way. */}
      <div
        class={`dropzone${dragging ? ' dragging' : ''}`}
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(event) => {
          event.preventDefault();
          setDragging(false);
          send([...(event.dataTransfer?.files ?? [])]);
        }}
      >
        <p class="dropzone-title">Drop files here</p>
        <p class="muted">or</p>
        <button type="button" class="button primary" onClick={() => input.current?.click()}>
          Choose files
        </button>
        <input
          ref={input}
          class="visually-hidden"
          type="file"
          multiple
          accept={ACCEPT}
          aria-label="Files to classify"
          onChange={(event) => {
            const target = event.target as HTMLInputElement;
            send([...(target.files ?? [])]);
            target.value = '';
          }}
        />
      </div>

      {items.length > 0 ? (
        <div class="results">
          <div class="progress-line">
            <span>
              {done} of {items.length} finished
            </span>
            <progress max={items.length} value={done} aria-label="Files finished" />
          </div>
          <ul class="result-list">
            {items.map((item) => (
              <li key={item.key} class={`result result-${item.state}`}>
                <div class="result-file">
                  <strong>{item.name}</strong>
                  {item.run ? (
                    <StatusPill status={item.run.status} />
                  ) : (
                    <span class="pill">{item.state === 'uploading' ? 'uploading' : item.state}</span>
                  )}
                </div>
                {item.error ? <Notice>{item.error}</Notice> : null}
                {item.run?.status === 'FAILED' ? <Notice>{item.run.failure_message}</Notice> : null}
                {item.run?.output ? (
                  <div class="result-output">
                    <ClassChip name={item.run.output.classification.class} />
                    <Confidence value={item.run.output.classification.confidence} />
                    <ReviewPill status={item.run.review_status} />
                    <span class="reason small">{item.run.output.classification.reason}</span>
                    {item.run.output.mode === 'split' ? (
                      <span class="segments-inline">
                        {item.run.output.segments.map((segment) => (
                          <span key={segment.first_page} class="small">
                            {segment.first_page === segment.last_page
                              ? `p${segment.first_page + 1}`
                              : `p${segment.first_page + 1}–${segment.last_page + 1}`}{' '}
                            <ClassChip name={segment.class} />
                          </span>
                        ))}
                      </span>
                    ) : null}
                  </div>
                ) : item.state === 'waiting' ? (
                  <div class="muted small">
                    <span class="spinner" aria-hidden="true" /> Reading pages and classifying…
                  </div>
                ) : null}
                {item.runId ? (
                  <a class="small" href={`#/runs/${item.runId}`}>
                    Open run →
                  </a>
                ) : null}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}
