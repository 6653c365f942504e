import type { Command } from 'commander';
import type { CommandContext } from '../command-context.ts';
import { createCoordinatorClient, type CoordinatorClient } from '../http/coordinator-client.ts';
import { resolveCoordinatorSettings } from '../settings/coordinator-settings.ts';
import { withJsonOption, type JsonOptions } from './json-option.ts';

/** The flags every `agent` and `delegation` command accepts (docs/cli.md). */
export interface OperatorOptions extends JsonOptions {
  zone?: string;
}

export function withOperatorOptions(command: Command): Command {
  return withJsonOption(command.option('--zone <id>', "zone to act in (default: $CARACAL_ZONE_ID, then the token's zone_id claim)"));
}

/** Settings are resolved per invocation, after parsing, so `--help` works with nothing configured. */
export function coordinatorFor(context: CommandContext, options: OperatorOptions): CoordinatorClient {
  return createCoordinatorClient(resolveCoordinatorSettings(context.io.env, { zone: options.zone }));
}
