import { InvalidArgumentError, type Command } from 'commander';
import type { CommandContext } from '../command-context.ts';
import { agentSessionArgument, runArgument } from '../id-arguments.ts';
import { RUN_COLUMNS } from './columns.ts';
import { withJsonOption, type JsonOptions } from './json-option.ts';
import { runsClientFor } from './token-zone-clients.ts';

const RUN_STATES = ['pending', 'claimed', 'running', 'stopping', 'completed', 'failed', 'stopped'];

function runState(value: string): string {
  if (RUN_STATES.includes(value)) return value;
  throw new InvalidArgumentError(`expected one of ${RUN_STATES.join(', ')}.`);
}

/** `caracal run …`: runs handed to runners (docs/runs.md). */
export function registerRunCommands(program: Command, context: CommandContext): void {
  const run = program.command('run').description('List, start and stop runs (work handed to runners)');

  withJsonOption(run.command('list').description("List the zone's runs, newest first"))
    .option('--status <state>', `only runs in this state (${RUN_STATES.join(', ')})`, runState)
    .option('--session <session>', 'only runs of this session (agentsess_…)', agentSessionArgument)
    .addHelpText('after', `\nColumns: ${RUN_COLUMNS.join(', ')}`)
    .action(async (options: JsonOptions & { status?: string; session?: string }) => {
      const client = runsClientFor(context);
      const runs = await context.progress('listing runs…', () => client.listRuns({ status: options.status, session_id: options.session }));
      context.output.list(runs, { columns: RUN_COLUMNS, json: options.json === true });
    });

  withJsonOption(run.command('get').description('Fetch a single run by id').argument('<run>', 'run id (run_…)', runArgument)).action(
    async (runId: string, options: JsonOptions) => {
      const client = runsClientFor(context);
      context.output.record(await context.progress('fetching the run…', () => client.getRun(runId)), { json: options.json === true });
    },
  );

  withJsonOption(run.command('start').description('Start a run: a new session, or a resumed one with --session'))
    .requiredOption('--prompt <text>', 'what the agent is asked to do')
    .option('--agent <name>', 'the blueprint to run')
    .option('--session <session>', 'resume this session instead of starting a new one (agentsess_…)', agentSessionArgument)
    .option('--project-dir <dir>', "the agent's project directory")
    .addHelpText('after', '\nPrints `started <run_id> <session_id>`; a runner picks the run up.')
    .action(async (options: JsonOptions & { prompt: string; agent?: string; session?: string; projectDir?: string }) => {
      const client = runsClientFor(context);
      const created = await context.progress('starting the run…', () =>
        client.createRun({
          type: options.session === undefined ? 'start_session' : 'resume_session',
          parameters: { prompt: options.prompt },
          ...(options.session === undefined ? {} : { session_id: options.session }),
          ...(options.agent === undefined ? {} : { agent_name: options.agent }),
          ...(options.projectDir === undefined ? {} : { project_dir: options.projectDir }),
        }),
      );
      if (options.json === true) context.output.json(created);
      else context.output.line(`started ${String(created.run_id)} ${String(created.session_id)}`);
    });

  withJsonOption(run.command('stop').description('Stop a run (a pending run stops at once; a running one once its runner confirms)').argument('<run>', 'run id (run_…)', runArgument))
    .action(async (runId: string, options: JsonOptions) => {
      const client = runsClientFor(context);
      const stopped = await context.progress(`stopping ${runId}…`, () => client.stopRun(runId));
      if (options.json === true) context.output.json(stopped);
      else context.output.line(`${String(stopped.status)} ${runId}`);
    });
}
