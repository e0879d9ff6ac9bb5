/**
 * The housekeeping job, one per HOUSEKEEPING_INTERVAL_MINUTES slot: its id names the slot, so
 * however many workers schedule the next one, one job runs per slot. Each run schedules the next.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { Deps } from '../deps.js';
import { defineJob } from '../jobs/job-registry.js';
import { runHousekeeping } from './housekeeping.js';

export const HOUSEKEEPING_JOB = 'housekeeping';

const HousekeepingPayload = Type.Object({ slot: Type.Integer({ minimum: 0 }) }, { additionalProperties: false });
export type HousekeepingPayload = Static<typeof HousekeepingPayload>;

/** Queues the housekeeping run of the next slot unless some process already has. */
export async function scheduleHousekeeping(deps: Pick<Deps, 'store' | 'queue' | 'config'>, now = Date.now()): Promise<void> {
  const interval = deps.config.housekeepingIntervalMs;
  const slot = Math.floor(now / interval) + 1;
  await deps.queue.enqueue(
    deps.store.db,
    HOUSEKEEPING_JOB,
    { slot },
    { id: `job_housekeeping_${slot}`, runAt: slot * interval, ifAbsent: true },
  );
}

export const housekeepingJob = defineJob<HousekeepingPayload, Deps>({
  name: HOUSEKEEPING_JOB,
  version: 1,
  payload: HousekeepingPayload,
  logFields: ({ slot }) => ({ slot }),

  async run(_payload, { deps, addLogFields }) {
    const summary = await runHousekeeping(deps);
    addLogFields({ deleted: summary });
    await scheduleHousekeeping(deps);
  },
});
