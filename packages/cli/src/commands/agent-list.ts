import { InvalidArgumentError, type Command } from 'commander';
import type { SessionStatus } from '@caracal/protocol';
import type { CommandContext } from '../command-context.ts';
import { AGENT_COLUMNS } from './columns.ts';
import { coordinatorFor, withOperatorOptions, type OperatorOptions } from './operator-options.ts';

const STATUSES: readonly SessionStatus[] = ['active', 'suspended', 'terminated'];

function sessionStatus(value: string): SessionStatus {
  if ((STATUSES as readonly string[]).includes(value)) return value as SessionStatus;
  throw new InvalidArgumentError(`expected one of ${STATUSES.join(', ')}`);
}

/** `caracal agent list [--status s] [--application id]`: the agent sessions of the zone, all pages. */
export function registerAgentList(agent: Command, context: CommandContext): void {
  withOperatorOptions(agent.command('list').description('List the agent sessions in the zone'))
    .option('--status <status>', `only sessions with this status (${STATUSES.join(', ')})`, sessionStatus)
    .option('--application <id>', 'only sessions of this application')
    .addHelpText('after', `\nColumns: ${AGENT_COLUMNS.join(', ')}\nExample: caracal agent list --status active --json | jq '.[].id'`)
    .action(async (options: OperatorOptions & { status?: SessionStatus; application?: string }) => {
      const client = coordinatorFor(context, options);
      const sessions = await context.progress('listing agent sessions…', () =>
        client.listAgents({ status: options.status, applicationId: options.application }),
      );
      context.output.list(sessions, { columns: AGENT_COLUMNS, json: options.json === true });
    });
}
