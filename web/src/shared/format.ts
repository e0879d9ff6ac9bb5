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

const PALETTE = [
  '#2f5bea',
  '#0f9d76',
  '#c2410c',
  '#7c3aed',
  '#be185d',
  '#0e7490',
  '#a16207',
  '#4d7c0f',
  '#b91c1c',
  '#4338ca',
  '#0369a1',
  '#9333ea',
  '#15803d',
  '#c026d3',
  '#ea580c',
  '#0891b2',
  '#65a30d',
  '#db2777',
  '#475569',
  '#b45309',
];

/**
 * A colour per class. Given the classifier's classes, by their place in it, so the classes of one
 * run never share a colour; otherwise from the name, the same on every screen.
 */
export function classColor(name: string, classes?: readonly string[]): string {
  if (name === 'unknown') return '#6b7280';
  const index = classes?.indexOf(name) ?? -1;
  if (index >= 0) return PALETTE[index % PALETTE.length];
  let hash = 2166136261;
  for (const char of name) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619) >>> 0;
  return PALETTE[hash % PALETTE.length];
}
