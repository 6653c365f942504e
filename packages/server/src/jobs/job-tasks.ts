import type { RunSettings } from '../coordinator/runs/run-settings.ts';
import type { Database } from '../db/database.ts';

/**
 * The Coordinator's repository functions the periodic jobs call. Each must be safe to run on
 * several replicas at once (they are guarded by a lease too) and enqueue its events in its own
 * transaction. Injectable so jobs can be tested, and replaced, without the Coordinator.
 */
export interface JobTasks {
  /** TTL sweeper: sessions and delegation edges past `expires_at` become expired/revoked. */
  expireSessionsAndEdges(database: Database, now: Date): Promise<unknown>;
  /** Service lease sweeper: service agents without a recent heartbeat become unhealthy. */
  markStaleServicesUnhealthy(database: Database, now: Date): Promise<unknown>;
  /** Deadline enforcer: invocations past their deadline are failed. */
  expireOverdueInvocations(database: Database, now: Date): Promise<unknown>;
  /** Retention cleaner: finished sessions, edges and invocations older than the window. */
  deleteFinishedHistory(database: Database, olderThan: Date): Promise<unknown>;
  /** Retention cleaner: timeline events recorded before `olderThan` (the timeline's retention). */
  deleteExpiredTimelineEvents(database: Database, olderThan: Date): Promise<unknown>;
  /** Run sweeper: unclaimed runs past the no-match timeout fail; silent runners lose their runs. */
  sweepRuns(database: Database, now: Date, settings: RunSettings): Promise<unknown>;
}
