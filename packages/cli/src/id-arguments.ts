import { InvalidArgumentError } from 'commander';
import { BLUEPRINT_NAME_MAX_LENGTH, BLUEPRINT_NAME_PATTERN, idPatterns } from '@caracal/protocol/constants';

const AGENT_SESSION_ID = new RegExp(idPatterns.agentSession);
const DELEGATION_EDGE_ID = new RegExp(idPatterns.delegationEdge);
const RUN_ID = new RegExp(idPatterns.run);
const RUNNER_ID = new RegExp(idPatterns.runner);

/**
 * Commander argument parsers for the server's ids, checked against the protocol's patterns so a
 * malformed id is a usage error (exit 2, docs/cli.md) before any request, not a server refusal.
 */
function idParser(pattern: RegExp, what: string, prefix: string): (value: string) => string {
  return (value) => {
    if (pattern.test(value)) return value;
    throw new InvalidArgumentError(`not ${what}: expected ${prefix} followed by 26 lower-case base32 characters (as the server prints them).`);
  };
}

export const agentSessionArgument = idParser(AGENT_SESSION_ID, 'an agent session id', 'agentsess_');
export const delegationEdgeArgument = idParser(DELEGATION_EDGE_ID, 'a delegation edge id', 'deledge_');
export const runArgument = idParser(RUN_ID, 'a run id', 'run_');
export const runnerArgument = idParser(RUNNER_ID, 'a runner id', 'runner_');

const BLUEPRINT_NAME = new RegExp(BLUEPRINT_NAME_PATTERN);

/** A blueprint name: checked before any request, so `../x` never reaches a URL. */
export function blueprintNameArgument(value: string): string {
  if (value.length <= BLUEPRINT_NAME_MAX_LENGTH && BLUEPRINT_NAME.test(value)) return value;
  throw new InvalidArgumentError(`not a blueprint name: letters, digits, _ and - (starting with a letter or digit), at most ${BLUEPRINT_NAME_MAX_LENGTH} characters.`);
}
