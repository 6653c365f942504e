import type { Command } from 'commander';
import type { CommandContext } from '../command-context.ts';
import { createRunsClient, type RunsClient } from '../http/runs-client.ts';
import { resolveCoordinatorSettings } from '../settings/coordinator-settings.ts';

/** The flags of every `run` and `runner` command: their zone is the token's, so only `--json`. */
export interface RunsOptions {
  json?: boolean;
}

export function withRunsOptions(command: Command): Command {
  return command.option('--json', 'print JSON (lists print an array) instead of a table');
}

/** The Coordinator settings, resolved per invocation (after parsing, so `--help` needs none). */
export function runsClientFor(context: CommandContext): RunsClient {
  return createRunsClient(resolveCoordinatorSettings(context.io.env, {}));
}
