/** The review console: signs in with an API key, then one screen per thing a person does. */
import { render } from 'preact';
import type { ApiKeyView } from '../../src/core/api-types.js';
import { useEffect, useState } from 'preact/hooks';
import { ClassifierEditor } from './classifier-editor/classifier-editor.js';
import { ClassifierList } from './classifier-editor/classifier-list.js';
import { EvaluationScreen } from './evaluation/evaluation.js';
import { Playground } from './playground/playground.js';
import { ReviewQueue } from './review-queue/review-queue.js';
import { RunPage } from './run-page/run-page.js';
import { get, onSignedOut, saveKey, savedKey } from './shared/api.js';
import { navigate, useRoute } from './shared/router.js';
import { SignIn, type Session } from './sign-in/sign-in.js';
import { UsageScreen } from './usage/usage.js';

const NAV = [
  { path: 'queue', label: 'Review queue', short: 'Queue', icon: '☰' },
  { path: 'playground', label: 'Playground', short: 'Try', icon: '⇪' },
  { path: 'classifiers', label: 'Classifiers', short: 'Classifiers', icon: '◧' },
  { path: 'evaluation', label: 'Evaluation', short: 'Evaluate', icon: '◎' },
  { path: 'usage', label: 'Usage & webhooks', short: 'Usage', icon: '▤' },
];

function QueueBadge() {
  const [count, setCount] = useState<number | null>(null);
  const route = useRoute();
  useEffect(() => {
    get<{ total: number }>('/v1/classify_runs/counts?review_status=needs_review').then(
      (counts) => setCount(counts.total),
      () => setCount(null),
    );
  }, [route.path.join('/')]);
  return count ? (
    <span class="nav-badge">
      {count}
      <span class="visually-hidden"> need review</span>
    </span>
  ) : null;
}

function Screen({ session }: { session: Session }) {
  const route = useRoute();
  const [section, id] = route.path;
  switch (section) {
    case 'runs':
      return <RunPage id={id} session={session} />;
    case 'playground':
      return <Playground session={session} />;
    case 'classifiers':
      return id ? <ClassifierEditor id={id === 'new' ? null : id} session={session} /> : <ClassifierList session={session} />;
    case 'evaluation':
      return <EvaluationScreen classifierId={id ?? null} />;
    case 'usage':
      return <UsageScreen session={session} />;
    default:
      return <ReviewQueue params={route.params} />;
  }
}

function App() {
  const [session, setSession] = useState<Session | null>(null);
  const [checking, setChecking] = useState(true);
  const route = useRoute();

  useEffect(() => onSignedOut(() => setSession(null)), []);
  // The key's scope decides what is offered: its role (read, review, write, admin) and workspace.
  const signedInKey = session?.key;
  useEffect(() => {
    if (!session?.key || session.role !== null) return;
    get<ApiKeyView>('/v1/keys/current').then(
      (key) => setSession({ ...session, role: key.role, workspace: key.workspace }),
      () => undefined,
    );
  }, [signedInKey, session?.role]);
  useEffect(() => {
    // A key from this tab's session, or a server running with AUTH=off, signs in without asking.
    const key = savedKey();
    get<{ data: unknown[] }>('/v1/classifiers?limit=1')
      .then(
        () => setSession({ key, role: null, workspace: null }),
        () => setSession(null),
      )
      .finally(() => setChecking(false));
  }, []);

  if (checking) return <div class="splash">docsort</div>;
  if (!session) return <SignIn onSignedIn={setSession} />;

  const current = route.path[0] === 'runs' ? 'queue' : (route.path[0] ?? 'queue');
  const signOut = () => {
    saveKey(null);
    setSession(null);
  };
  return (
    <div class="shell">
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <nav class="sidebar" aria-label="Main">
        <a class="brand" href="#/queue">
          <img src="/console/assets/favicon.svg" alt="" width="28" height="28" />
          <span>docsort</span>
        </a>
        <ul>
          {NAV.map((item) => (
            <li key={item.path}>
              <a href={`#/${item.path}`} aria-current={current === item.path ? 'page' : undefined}>
                <span class="nav-icon" aria-hidden="true">
                  {item.icon}
                </span>
                <span class="nav-label">{item.label}</span>
                <span class="nav-short" aria-hidden="true">
                  {item.short}
                </span>
                {item.path === 'queue' ? <QueueBadge /> : null}
              </a>
            </li>
          ))}
        </ul>
        <div class="sidebar-foot">
          <span class="key-hint">
            {session.key ? `${session.key.slice(0, 10)}…` : 'No key (AUTH=off)'}
            {session.role ? (
              <span class="scope">
                {session.role} · {session.workspace}
              </span>
            ) : null}
          </span>
          {session.key ? (
            <button type="button" class="link-button" onClick={signOut}>
              Sign out
            </button>
          ) : null}
        </div>
      </nav>
      <main id="main" tabIndex={-1}>
        <Screen session={session} />
      </main>
    </div>
  );
}

if (!location.hash) navigate('/queue');
render(<App />, document.getElementById('app')!);
