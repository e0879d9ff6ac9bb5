/** Every job type docsort runs. A feature with background work appends its job here; workers check the list at start. */
import type { Deps } from './deps.js';
import { classifyFileJob } from './runs/classify-file.job.js';
import { JobRegistry, type JobDefinition } from './jobs/job-registry.js';
import { deliverWebhookJob } from './notify/deliver-webhook.job.js';
import { evaluateVersionJob } from './runs/evaluate-version.job.js';
import { housekeepingJob } from './retention/housekeeping.job.js';

export const JOB_DEFINITIONS: Array<JobDefinition<unknown, Deps>> = [
  classifyFileJob,
  deliverWebhookJob,
  evaluateVersionJob,
  housekeepingJob,
];

export function createJobRegistry(definitions: Array<JobDefinition<unknown, Deps>> = JOB_DEFINITIONS): JobRegistry<Deps> {
  const registry = new JobRegistry<Deps>();
  for (const definition of definitions) registry.register(definition);
  return registry;
}
