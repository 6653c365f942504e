import { RUN_PARAMETERS_MAX_BYTES, RUN_PROMPT_MAX_LENGTH, type Blueprint } from '@caracal/protocol';
import type { Principal } from '../../auth/principal.ts';
import { badRequest, conflict } from '../../http/server-error.ts';
import type { ServerContext } from '../../server-context.ts';
import { assertParametersMatch } from '../blueprints/blueprint-parameters.ts';
import { runnableBlueprint } from '../blueprints/blueprint-spawn.ts';
import { assertStorable } from '../shared/storable-json.ts';

/**
 * Where a run meets its blueprint (`agent_name`), before anything is written: the blueprint is
 * read afresh from the zone's registry (unknown 404, broken 409, inactive 409
 * `blueprint_inactive`), and the parameters are held to its `parameters_schema`, or to the default
 * schema (a prompt) when it has none or the run names no blueprint. A `start_session` run's
 * session is then spawned from the blueprint by the spawn itself (narrowed to its authority,
 * recording its name), as any spawn from a blueprint is. A `resume_session` run keeps the
 * blueprint its session was started from: naming another one is refused (409), since the
 * session's authority was narrowed to the first.
 */
export async function resolveRunBlueprint(
  context: ServerContext,
  run: { principal: Principal; agentName: string | null; parameters: Record<string, unknown>; sessionAgentName?: string | null },
): Promise<Blueprint | undefined> {
  checkParameterBounds(run.parameters);
  if (run.sessionAgentName !== undefined && run.agentName !== null && run.agentName !== run.sessionAgentName) {
    throw conflict(`the session runs blueprint ${run.sessionAgentName ?? '(none)'}; a resume cannot change it to ${run.agentName}`);
  }
  const name = run.agentName ?? run.sessionAgentName ?? null;
  const blueprint = name === null ? undefined : await runnableBlueprint(context, run.principal, { agent_name: name });
  if (blueprint?.parameters_schema != null) assertParametersMatch(blueprint.parameters_schema, run.parameters);
  else checkRunPrompt(run.parameters);
  return blueprint;
}

/** Whatever the schema: storable JSON, at most RUN_PARAMETERS_MAX_BYTES. */
function checkParameterBounds(parameters: Record<string, unknown>): void {
  assertStorable(parameters, 'parameters');
  if (Buffer.byteLength(JSON.stringify(parameters)) > RUN_PARAMETERS_MAX_BYTES) {
    throw badRequest(`parameters must be at most ${RUN_PARAMETERS_MAX_BYTES} bytes of JSON`);
  }
}

/** The default parameter schema: a non-empty `prompt` string. */
function checkRunPrompt(parameters: Record<string, unknown>): void {
  const { prompt } = parameters;
  if (typeof prompt !== 'string' || prompt.trim() === '' || prompt.length > RUN_PROMPT_MAX_LENGTH) {
    throw badRequest(`parameters.prompt must be a non-empty string of at most ${RUN_PROMPT_MAX_LENGTH} characters`);
  }
}
