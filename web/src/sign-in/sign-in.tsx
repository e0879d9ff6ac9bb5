/** Sign in with an API key. The key is checked against the API and kept for this tab only. */
import { useState } from 'preact/hooks';
import { type ApiError, api, saveKey } from '../shared/api.js';
import { Notice } from '../shared/ui.js';

export interface Session {
  key: string | null;
  /** The key's role and workspace (`GET /v1/keys/current`); null until known, and with AUTH=off. */
  role: 'read' | 'review' | 'write' | 'admin' | null;
  workspace: string | null;
}

/** What the key may do, as the console shows it: with AUTH=off everything. */
export const mayReview = (session: Session) => session.role !== 'read';
export const mayWrite = (session: Session) => session.role === null || session.role === 'write' || session.role === 'admin';

export function SignIn({ onSignedIn }: { onSignedIn: (session: Session) => void }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    const trimmed = key.trim();
    if (!trimmed) {
      setError('Enter an API key. An admin creates one with `docsort keys create --name NAME`.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await api('GET', '/v1/classifiers?limit=1', undefined, { key: trimmed });
      saveKey(trimmed);
      onSignedIn({ key: trimmed, role: null, workspace: null });
    } catch (caught) {
      const failure = caught as ApiError;
      setError(failure.status === 401 ? 'That key was not accepted: it is wrong or has been revoked.' : failure.message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="sign-in">
      <form class="sign-in-card" onSubmit={submit} aria-labelledby="sign-in-title">
        <div class="brand brand-large">
          <img src="/console/assets/favicon.svg" alt="" width="40" height="40" />
          <span>docsort</span>
        </div>
        <h1 id="sign-in-title">Sign in to the review console</h1>
        <p class="muted">Check, fix and trust what docsort classified. Your key stays in this browser tab only.</p>
        <label for="api-key">API key</label>
        <input
          id="api-key"
          name="api-key"
          type="password"
          autoComplete="off"
          spellcheck={false}
          placeholder="ds_…"
          value={key}
          onInput={(event) => setKey((event.target as HTMLInputElement).value)}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={error ? 'sign-in-error' : undefined}
          // biome-ignore lint/a11y/noAutofocus: the only field on the page.
          autoFocus
        />
        {error ? (
          <div id="sign-in-error">
            <Notice>{error}</Notice>
          </div>
        ) : null}
        <button type="submit" class="button primary wide" disabled={busy}>
          {busy ? 'Checking…' : 'Sign in'}
        </button>
      </form>
    </div>
  );
}
