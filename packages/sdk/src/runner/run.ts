/**
 * A run as the runner receives it (the protocol's `Run`, `GET /runs/{id}`), spelled out because the
 * published declarations must not depend on the schema library; `test/runner/run-shape.test.ts`
 * fails the typecheck if the two ever differ. docs/runs.md describes the fields.
 * @since 0.1.0
 */
export interface Run {
  run_id: string;
  type: 'start_session' | 'resume_session';
  /** The Caracal agent session the run executes in. */
  session_id: string;
  application_id: string;
  /** The blueprint. */
  agent_name: string | null;
  /** What the agent is asked to do: a `prompt`, or what the blueprint's parameter schema says. */
  parameters: { [x: string]: unknown };
  project_dir: string | null;
  parent_session_id: string | null;
  execution_mode: string | null;
  status: 'pending' | 'claimed' | 'running' | 'stopping' | 'completed' | 'failed' | 'stopped';
  runner_id: string | null;
  error: string | null;
  result: unknown;
  session_status: string | null;
  created_at: string;
  claimed_at: string | null;
  started_at: string | null;
  completed_at: string | null;
  updated_at: string;
}
