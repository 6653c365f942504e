import { InvalidArgumentError, type Command } from 'commander';
import type { CommandContext } from '../command-context.ts';
import { CHILD_COLUMNS } from './columns.ts';
import { coordinatorFor, withOperatorOptions, type OperatorOptions } from './operator-options.ts';
import { agentSessionArgument } from '../id-arguments.ts';

/** `--depth N`: a whole number from 1. */
function depthArgument(value: string): number {
  const depth = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(depth) || depth < 1) throw new InvalidArgumentError('expected a whole number of levels, 1 or more');
  return depth;
}

/** `caracal agent tree <id> [--depth N]` (alias `children`): the descendants of a session, one level by default. */
export function registerAgentTree(agent: Command, context: CommandContext): void {
  withOperatorOptions(
    agent
      .command('tree')
      .alias('children')
      .description('List the child sessions of an agent session (--depth N for N levels)')
      .argument('<session>', 'agent session id (agentsess_…)', agentSessionArgument),
  )
    .option('--depth <levels>', 'how many levels below the session to list (default: 1, its direct children)', depthArgument)
    .addHelpText('after', `\nColumns: ${CHILD_COLUMNS.join(', ')}\nWith --depth, rows are in tree order (each session followed by its descendants).`)
    .action(async (sessionId: string, options: OperatorOptions & { depth?: number }) => {
      const client = coordinatorFor(context, options);
      const depth = options.depth ?? 1;
      const rows = await context.progress('listing child sessions…', () =>
        depth === 1 ? client.listChildren(sessionId) : client.listDescendants(sessionId, depth),
      );
      context.output.list(rows, { columns: CHILD_COLUMNS, json: options.json === true });
    });
}
