/**
 * Accuracy per value of a manifest column (`repo`, `lang`, …). The overall accuracy hides a
 * change that helps one source and hurts three others; the groups show it.
 */

export interface GroupAccuracy {
  accuracy: number;
  count: number;
}

export interface GroupedOutcome {
  group: string;
  correct: boolean;
}

/** The name of the group of rows whose column is empty. */
export const NO_VALUE = '(none)';

function round(value: number): number {
  return Math.round(value * 10000) / 10000;
}

/**
 * Accuracy and count per group, largest group first (then by name), so two runs list their
 * groups in the same order. (JSON objects keep that order unless a key looks like an integer.)
 */
export function measureGroups(outcomes: GroupedOutcome[]): Record<string, GroupAccuracy> {
  const tally = new Map<string, { correct: number; count: number }>();
  for (const outcome of outcomes) {
    const group = outcome.group.length > 0 ? outcome.group : NO_VALUE;
    const entry = tally.get(group) ?? { correct: 0, count: 0 };
    entry.count++;
    if (outcome.correct) entry.correct++;
    tally.set(group, entry);
  }
  const ordered = [...tally.entries()].sort(([a, x], [b, y]) => y.count - x.count || a.localeCompare(b));
  return Object.fromEntries(ordered.map(([group, entry]) => [group, { accuracy: round(entry.correct / entry.count), count: entry.count }]));
}

/**
 * The groups that lose most: lowest accuracy first and, among equals, the larger group first
 * (five wrong of five says more than one of one). Groups with everything right are left out.
 */
export function worstGroups(perGroup: Record<string, GroupAccuracy>, limit: number): [string, GroupAccuracy][] {
  return Object.entries(perGroup)
    .filter(([, group]) => group.accuracy < 1)
    .sort(([a, x], [b, y]) => x.accuracy - y.accuracy || y.count - x.count || a.localeCompare(b))
    .slice(0, limit);
}
