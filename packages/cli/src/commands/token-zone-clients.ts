import type { CommandContext } from '../command-context.ts';
import { createBlueprintClient, type BlueprintClient } from '../http/blueprint-client.ts';
import { createRunsClient, type RunsClient } from '../http/runs-client.ts';
import { resolveCoordinatorSettings } from '../settings/coordinator-settings.ts';

// Settings are resolved per invocation, after parsing, so `--help` works with nothing configured.

/** The `blueprint` commands' client: blueprints are the token's zone's. */
export function blueprintClientFor(context: CommandContext): BlueprintClient {
  return createBlueprintClient(resolveCoordinatorSettings(context.io.env, {}));
}

/** The `run` and `runner` commands' client: their zone is the token's. */
export function runsClientFor(context: CommandContext): RunsClient {
  return createRunsClient(resolveCoordinatorSettings(context.io.env, {}));
}
