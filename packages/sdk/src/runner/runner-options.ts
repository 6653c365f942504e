import type { Run } from './run.ts';
import type { Caracal } from '../caracal.ts';
import type { CaracalContext } from '../model/caracal-context.ts';

/**
 * What `execute` gets beside the run: the signal that aborts when the run must end, and the
 * session context it runs in (already bound: `current()` returns it).
 * @since 0.1.0
 */
export interface RunTools {
  /**
   * Aborts on a stop order for the run (`POST /runs/{id}/stop`, `POST /sessions/{id}/stop`, or
   * the end of the run's session), when the Coordinator failed the run because it took this
   * runner for lost (told at the next heartbeat, or seen as a new runner id at re-registration),
   * or when the runner closes. Its `reason` is a `CaracalError` (`RUN_STOPPED` or `RUNNER_CLOSED`).
   */
  readonly signal: AbortSignal;
  /** The run's Caracal session context: per-call mandates are exchanged under its session. */
  readonly context: CaracalContext;
}

/**
 * Runs the agent of one run. What it resolves to is the run's result (any JSON value; reported
 * with `completed` and recorded as the session's `result` event); a throw fails the run.
 * @since 0.1.0
 */
export type ExecuteRun = (run: Run, tools: RunTools) => unknown;

/**
 * Where a background step of the runner failed: `register`, `poll`, `heartbeat`, `report`,
 * `deregister`. The runner keeps going (it backs off and registers again); this only tells you.
 * @since 0.1.0
 */
export interface RunnerErrorEvent {
  readonly step: 'register' | 'poll' | 'heartbeat' | 'report' | 'deregister';
  readonly error: unknown;
  readonly runId?: string | undefined;
}

/**
 * Options of `createRunner`.
 * @since 0.1.0
 */
export interface RunnerOptions {
  /** The client the runner speaks as: its application must hold `agent:lifecycle`, and it owns the runs' sessions. */
  readonly caracal: Caracal;
  /** The agent: called once per claimed run, inside the run's session context. */
  readonly execute: ExecuteRun;
  /** What the runner can host (`gpu`): it also takes runs of blueprints tagged with one of them. */
  readonly tags?: readonly string[] | undefined;
  /** The blueprints (`agent_name`) it serves. Naming neither blueprints nor tags takes any run (docs/runs.md). */
  readonly blueprints?: readonly string[] | undefined;
  /** Registered identity: the same hostname, project dir and profile re-register as the same runner. @default os.hostname() */
  readonly hostname?: string | undefined;
  /** @default process.cwd() */
  readonly projectDir?: string | undefined;
  /** Two runners on one host and project dir need different profiles. @default 'default' */
  readonly executorProfile?: string | undefined;
  /** @default { type: 'caracal-sdk' } */
  readonly executor?: { readonly type: string; readonly command?: string | null | undefined } | undefined;
  /** How the session is left when a run completes: `finished` (ends its authority) or `idle` (ready for a resume). @default 'finished' */
  readonly sessionStatus?: 'finished' | 'idle' | undefined;
  /** How long one poll waits at the server, at most the server's cap. @default the server's cap */
  readonly pollWaitSeconds?: number | undefined;
  /**
   * Runs executed at once, at most. At the cap the runner still polls, for stop orders only, and
   * takes work again as soon as a run ends. @default no cap
   */
  readonly maxConcurrentRuns?: number | undefined;
  /** Told about every background failure; the runner carries on. */
  readonly onError?: ((event: RunnerErrorEvent) => void) | undefined;
}
