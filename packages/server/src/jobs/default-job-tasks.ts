import { expireOverdueInvocations } from '../coordinator/invocations/invocation-repository.ts';
import { markStaleServicesUnhealthy } from '../coordinator/service-agents/service-agent-repository.ts';
import type { JobTasks } from './job-tasks.ts';

/**
 * The Coordinator's sweepers, as the jobs call them by default. `expireSessionsAndEdges` and
 * `deleteFinishedHistory` do nothing until the Coordinator exports them; the outbox publisher,
 * relay and outbox retention run regardless.
 */
export const DEFAULT_JOB_TASKS: JobTasks = {
  expireSessionsAndEdges: async () => 0,
  markStaleServicesUnhealthy,
  expireOverdueInvocations,
  deleteFinishedHistory: async () => 0,
};
