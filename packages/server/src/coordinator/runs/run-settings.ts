import type { ServerContext } from '../../server-context.ts';

/** What recovery at start does with runs left under way (docs/runs.md). */
export type RunRecoveryMode = 'stale' | 'all' | 'none';
export const RUN_RECOVERY_MODES: readonly RunRecoveryMode[] = ['stale', 'all', 'none'];

/** The timings of runs and runners; every field is configurable. */
export interface RunSettings {
  /** `RUN_RECOVERY_MODE`. @default 'stale' */
  recoveryMode: RunRecoveryMode;
  /** In `stale` mode, runs untouched for this long are recovered. @default 300 */
  recoveryStaleSeconds: number;
  /** `RUN_NO_MATCH_TIMEOUT`: a pending run no runner claims within this fails, with its session. @default 300 */
  noMatchTimeoutSeconds: number;
  /** `RUNNER_HEARTBEAT_TIMEOUT`: a runner silent this long loses its runs. @default 60 */
  heartbeatTimeoutSeconds: number;
  /** The longest a runner's poll is held open. @default 30 */
  pollTimeoutSeconds: number;
}

export const DEFAULT_RUN_SETTINGS: RunSettings = {
  recoveryMode: 'stale',
  recoveryStaleSeconds: 300,
  noMatchTimeoutSeconds: 300,
  heartbeatTimeoutSeconds: 60,
  pollTimeoutSeconds: 30,
};

export function runSettingsOf(context: ServerContext): RunSettings {
  return { ...DEFAULT_RUN_SETTINGS, ...context.config.runs };
}
