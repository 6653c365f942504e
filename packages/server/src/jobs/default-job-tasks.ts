import type { JobTasks } from './job-tasks.ts';

/**
 * The Coordinator's sweepers. Until the Coordinator change exports them these do nothing; the
 * outbox publisher, relay and outbox retention run regardless.
 */
export const DEFAULT_JOB_TASKS: JobTasks = {
  expireSessionsAndEdges: async () => 0,
  markStaleServicesUnhealthy: async () => 0,
  expireOverdueInvocations: async () => 0,
  deleteFinishedHistory: async () => 0,
};
