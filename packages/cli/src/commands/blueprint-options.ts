import type { Command } from 'commander';
import type { CommandContext } from '../command-context.ts';
import { createBlueprintClient, type BlueprintClient } from '../http/blueprint-client.ts';
import { resolveCoordinatorSettings } from '../settings/coordinator-settings.ts';

/** The flags every `blueprint` command accepts: blueprints are the token's zone's, so no `--zone`. */
export interface BlueprintOptions {
  json?: boolean;
}

export function withBlueprintOptions(command: Command): Command {
  return command.option('--json', 'print JSON (lists print an array) instead of text');
}

/** Settings are resolved per invocation, after parsing, so `--help` works with nothing configured. */
export function blueprintClientFor(context: CommandContext): BlueprintClient {
  return createBlueprintClient(resolveCoordinatorSettings(context.io.env, {}));
}
