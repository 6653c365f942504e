import { expireOverdueInvocations } from '../coordinator/invocations/invocation-repository.ts';
import { deleteFinishedHistory } from '../coordinator/maintenance/retention-repository.ts';
import { deleteExpiredTimelineEvents } from '../coordinator/maintenance/timeline-retention-repository.ts';
import { sweepRuns } from '../coordinator/runs/run-sweeps.ts';
import { markStaleServicesUnhealthy } from '../coordinator/service-agents/service-agent-repository.ts';
import { expireSessionsAndEdges } from '../coordinator/sessions/expiry-repository.ts';
import type { JobTasks } from './job-tasks.ts';

/** The Coordinator's repository functions the periodic jobs run by default. */
export const DEFAULT_JOB_TASKS: JobTasks = {
  expireSessionsAndEdges,
  markStaleServicesUnhealthy,
  expireOverdueInvocations,
  deleteFinishedHistory,
  deleteExpiredTimelineEvents,
  sweepRuns,
};
