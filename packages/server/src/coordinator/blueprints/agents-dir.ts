import { resolve } from 'node:path';

/**
 * The agents dir as the seed project locates it: `AGENT_ORCHESTRATOR_AGENTS_DIR`, else
 * `<AGENT_ORCHESTRATOR_PROJECT_DIR or the working directory>/.agent-orchestrator/agents`; made
 * absolute against `cwd` so a later change of directory moves nothing.
 */
export function defaultAgentsDir(input: { agentsDir?: string | undefined; projectDir?: string | undefined; cwd: string }): string {
  if (input.agentsDir !== undefined) return resolve(input.cwd, input.agentsDir);
  return resolve(input.cwd, input.projectDir ?? '.', '.agent-orchestrator', 'agents');
}
