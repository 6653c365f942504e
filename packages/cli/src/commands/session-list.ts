import { InvalidArgumentError, type Command } from 'commander';
import type { CommandContext } from '../command-context.ts';
import { SESSION_COLUMNS } from './columns.ts';
import { withJsonOption, type JsonOptions } from './json-option.ts';
import { sessionClientFor } from './session-options.ts';

const RUN_STATUSES = ['pending', 'running', 'idle', 'stopping', 'stopped', 'finished', 'failed'];

function runStatusArgument(value: string): string {
  if (RUN_STATUSES.includes(value)) return value;
  throw new InvalidArgumentError(`expected one of ${RUN_STATUSES.join(', ')}.`);
}

/** `caracal session list`: every seed session the token may see, newest first, all pages. */
export function registerSessionList(session: Command, context: CommandContext): void {
  withJsonOption(session.command('list').description('List the sessions the token may see, newest first'))
    .option('--status <status>', `only sessions in this run status (${RUN_STATUSES.join(', ')})`, runStatusArgument)
    .addHelpText('after', `\nColumns: ${SESSION_COLUMNS.join(', ')}\nExample: caracal session list --status running --json | jq -r '.[].session_id'`)
    .action(async (options: JsonOptions & { status?: string }) => {
      const { client } = sessionClientFor(context);
      const sessions = await context.progress('listing sessions…', () => client.listSessions(options.status));
      context.output.list(sessions, { columns: SESSION_COLUMNS, json: options.json === true });
    });
}
