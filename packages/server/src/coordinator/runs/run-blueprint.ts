import { RUN_PARAMETERS_MAX_BYTES, RUN_PROMPT_MAX_LENGTH, type SpawnSessionBody } from '@caracal/protocol';
import type { Principal } from '../../auth/principal.ts';
import { badRequest } from '../../http/server-error.ts';
import type { ServerContext } from '../../server-context.ts';
import { assertStorable } from '../shared/storable-json.ts';

/** What a run's blueprint decides about the run: how its session is spawned. */
export interface RunBlueprint {
  /** Extra spawn fields for a `start_session` run (the blueprint's narrowed grant). */
  spawn: Pick<SpawnSessionBody, 'grant'>;
}

/**
 * THE HOOK where a run meets its blueprint (`agent_name`), called before anything is written.
 * Today it checks the parameters against the default schema (a `prompt`, bounded) and accepts any
 * well-formed name. The blueprint registry plugs in here: look the blueprint up (unknown → 404,
 * inactive → 409), check the parameters against its parameter schema when it has one, and answer
 * the grant that narrows the run's session to the blueprint's authority.
 */
export async function resolveRunBlueprint(
  _context: ServerContext,
  run: { principal: Principal; zoneId: string; agentName: string | null; parameters: Record<string, unknown> },
): Promise<RunBlueprint> {
  checkRunParameters(run.parameters);
  return { spawn: {} };
}

/** The default parameter schema: a non-empty `prompt` string; the whole object storable and bounded. */
export function checkRunParameters(parameters: Record<string, unknown>): void {
  assertStorable(parameters, 'parameters');
  if (Buffer.byteLength(JSON.stringify(parameters)) > RUN_PARAMETERS_MAX_BYTES) {
    throw badRequest(`parameters must be at most ${RUN_PARAMETERS_MAX_BYTES} bytes of JSON`);
  }
  const { prompt } = parameters;
  if (typeof prompt !== 'string' || prompt.trim() === '' || prompt.length > RUN_PROMPT_MAX_LENGTH) {
    throw badRequest(`parameters.prompt must be a non-empty string of at most ${RUN_PROMPT_MAX_LENGTH} characters`);
  }
}
