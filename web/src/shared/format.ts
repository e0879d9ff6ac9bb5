/** How numbers, dates and classes read in the console. */
export const percent = (value: number | null | undefined, digits = 0) =>
  value === null || value === undefined || Number.isNaN(value) ? '–' : `${(value * 100).toFixed(digits)}%`;

export function when(iso: string): string {
  const date = new Date(iso);
  const seconds = (Date.now() - date.getTime()) / 1000;
  if (seconds < 60) return 'just now';
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ago`;
  return date.toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
}

export const className = (name: string | null | undefined) => (name ? name.replace(/_/g, ' ') : '–');

/** A stable colour per class, so a class looks the same on every screen. */
const PALETTE = ['#2f5bea', '#0f9d76', '#c2410c', '#7c3aed', '#be185d', '#0e7490', '#a16207', '#4d7c0f', '#b91c1c', '#475569'];
export function classColor(name: string): string {
  if (name === 'unknown') return '#6b7280';
  let hash = 0;
  for (const char of name) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return PALETTE[hash % PALETTE.length];
}
