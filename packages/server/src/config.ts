import type { RunSettings } from './coordinator/runs/run-settings.ts';
import type { JobSettings } from './jobs/job-settings.ts';

/** Limits on the agent tree, all configurable (docs/decisions/2026-12-04-agent-tree-limits.md). */
export interface SessionLimits {
  maxDepth: number;
  maxChildren: number;
  maxActivePerZoneApplication: number;
  maxActivePerApplication: number;
}

export const DEFAULT_LIMITS: SessionLimits = {
  maxDepth: 10,
  maxChildren: 10,
  maxActivePerZoneApplication: 50,
  maxActivePerApplication: 200,
};

/** Everything the app needs to know, resolved once at start. */
export interface ServerConfig {
  /** The issuer (`iss`) of mandates and the base URL published in metadata. */
  issuer: string;
  adminToken: string | undefined;
  limits: SessionLimits;
  /** Secret for HMAC origin signatures on bus entries. */
  eventSigningSecret: string;
  /** Secret that encrypts zone signing keys at rest. */
  keyEncryptionSecret: string;
  /** The key secret being rotated away from: still decrypts, never encrypts. */
  previousKeyEncryptionSecret?: string | undefined;
  /** Which background jobs run in this process. */
  jobs: boolean;
  /** Intervals and limits of the background jobs (outbox publisher, sweepers); defaults apply. */
  jobSettings?: Partial<JobSettings>;
  /** Per-call mandate lifetime cap, seconds. */
  maxMandateSeconds: number;
  /** Session mandate lifetime, seconds. */
  sessionMandateSeconds: number;
  /** Timings of runs and runners (recovery mode, timeouts); defaults apply. */
  runs?: Partial<RunSettings>;
  /**
   * Where blueprints live, one folder per zone (docs/blueprints.md); unset: the seed project's
   * default under the working directory.
   */
  agentsDir?: string | undefined;
}
