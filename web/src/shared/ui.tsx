/** Small pieces every screen uses: status pills, class chips, confidence bars, messages. */
import type { ComponentChildren } from 'preact';
import { classColor, className, percent } from './format.js';

export function ClassChip({ name, classes }: { name: string; classes?: readonly string[] }) {
  return (
    <span class="chip" style={{ '--chip': classColor(name, classes) }}>
      {className(name)}
    </span>
  );
}

const REVIEW_LABELS: Record<string, string> = { needs_review: 'Needs review', reviewed: 'Reviewed', auto_accepted: 'Auto-accepted' };

export function ReviewPill({ status }: { status: string | null }) {
  if (!status) return null;
  return <span class={`pill pill-${status}`}>{REVIEW_LABELS[status] ?? status}</span>;
}

export function StatusPill({ status }: { status: string }) {
  return <span class={`pill pill-status-${status.toLowerCase()}`}>{status.toLowerCase()}</span>;
}

export function Confidence({ value }: { value: number }) {
  const level = value >= 0.8 ? 'high' : value >= 0.5 ? 'mid' : 'low';
  return (
    <span class={`confidence confidence-${level}`} title={`Confidence ${percent(value, 1)}`}>
      <span class="confidence-bar" aria-hidden="true">
        <span style={{ width: `${Math.round(value * 100)}%` }} />
      </span>
      {percent(value)}
    </span>
  );
}

export function Notice({ kind = 'error', children }: { kind?: 'error' | 'info' | 'success'; children: ComponentChildren }) {
  return (
    <div class={`notice notice-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {children}
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <div class="empty">
      <div class="empty-mark" aria-hidden="true">
        ✓
      </div>
      <h2>{title}</h2>
      {children ? <p>{children}</p> : null}
    </div>
  );
}

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div class="loading" role="status">
      <span class="spinner" aria-hidden="true" />
      {label}
    </div>
  );
}

export function PageHeader({ title, children, subtitle }: { title: string; subtitle?: ComponentChildren; children?: ComponentChildren }) {
  return (
    <header class="page-header">
      <div>
        <h1>{title}</h1>
        {subtitle ? <p class="subtitle">{subtitle}</p> : null}
      </div>
      {children ? <div class="page-actions">{children}</div> : null}
    </header>
  );
}
