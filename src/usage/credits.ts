/**
 * Credits: the unit usage and quotas are counted in. A run costs `creditsPerPage` for every page
 * it read (the documented rate, CREDITS_PER_PAGE, 1 by default); a run that failed before
 * reading pages costs nothing.
 */

export function computeRunCredits(pagesRead: number, creditsPerPage: number): number {
  if (!Number.isFinite(pagesRead) || pagesRead <= 0) return 0;
  return roundCredits(pagesRead * creditsPerPage);
}

/** Credits are decimal (0.5 per page is a valid rate); keep sums free of float dust. */
export function roundCredits(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/** What is left of a quota; null when the key has no quota. Never negative. */
export function remainingCredits(quota: number | null, used: number): number | null {
  if (quota === null) return null;
  return roundCredits(Math.max(0, quota - used));
}
