/**
 * When a failed webhook delivery is tried again. The default doubles from 30 seconds and keeps
 * trying for about 16 hours (13 attempts); operators and tests set their own list with
 * WEBHOOK_RETRY_SCHEDULE, e.g. `1s,1s,1s` for a test that should finish in seconds.
 */

/** Delays before attempts 2, 3, …: 30 s doubling, capped at 4 h. */
export const DEFAULT_RETRY_SCHEDULE_MS: readonly number[] = [
  30_000, 60_000, 120_000, 300_000, 600_000, 1_200_000, 2_400_000, 3_600_000, 7_200_000, 14_400_000, 14_400_000, 14_400_000,
];

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Parses `30s,2m,1h` (units ms, s, m, h; a bare number is seconds) into milliseconds. */
export function parseRetrySchedule(raw: string): number[] {
  const parts = raw
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  if (parts.length === 0) throw new Error('must list at least one delay, e.g. "30s,5m,1h"');
  return parts.map((part) => {
    const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(part);
    if (!match) throw new Error(`has "${part}", which is not a delay like 500ms, 30s, 5m or 2h`);
    const value = Number(match[1]) * UNIT_MS[match[2] ?? 's'];
    if (value > 7 * 24 * 3_600_000) throw new Error(`has "${part}", longer than a week`);
    return Math.round(value);
  });
}

/**
 * The delay before the next attempt after `attemptsMade` failed attempts, or null when the
 * schedule is used up and the delivery is given up.
 */
export function nextRetryDelay(schedule: readonly number[], attemptsMade: number): number | null {
  if (attemptsMade < 1 || attemptsMade > schedule.length) return null;
  return schedule[attemptsMade - 1];
}

export function describeSchedule(schedule: readonly number[]): string {
  const totalMs = schedule.reduce((sum, delay) => sum + delay, 0);
  return `${schedule.length + 1} attempts over ${(totalMs / 3_600_000).toFixed(1)} h`;
}
