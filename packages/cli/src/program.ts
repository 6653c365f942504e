import { Command } from 'commander';
import type { CommandContext } from './command-context.ts';
import { registerAgentCommands } from './commands/agent.ts';
import { registerAppCreate } from './commands/app-create.ts';
import { registerBlueprintCommands } from './commands/blueprint.ts';
import { registerConsole } from './commands/console.ts';
import { registerDelegationCommands } from './commands/delegation.ts';
import { registerDemo } from './commands/demo.ts';
import { registerRunCommands } from './commands/run.ts';
import { registerRunnerCommands } from './commands/runner.ts';
import { registerResourceCreate } from './commands/resource-create.ts';
import { registerSessionCommands } from './commands/session.ts';
import { registerServerStart } from './commands/server-start.ts';
import { registerToken } from './commands/token.ts';
import { registerZoneCreate } from './commands/zone-create.ts';
import { ENVIRONMENT_HELP, EXIT_CODES_HELP } from './help-text.ts';
import { colourEnabled } from './style.ts';
import { cliVersion } from './version.ts';

/** Help is wrapped at a fixed width so it reads the same everywhere (and in tests). */
const HELP_WIDTH = 100;

/**
 * The `caracal` command tree. Settings that subcommands inherit (output, exit override, strict
 * arguments, help after errors) are set before any subcommand is added, because commander copies
 * them at `.command()` time.
 */
export function buildProgram(context: CommandContext): Command {
  const { io } = context;
  const program = new Command('caracal')
    .description('Operate Caracal: agent sessions, delegations and session timelines, the server, zones, applications and resources.')
    .version(cliVersion(), '-V, --version')
    .configureOutput({
      writeOut: (text) => void io.stdout.write(text),
      writeErr: (text) => void io.stderr.write(text),
      getOutHelpWidth: () => HELP_WIDTH,
      getErrHelpWidth: () => HELP_WIDTH,
      getOutHasColors: () => colourEnabled(io.isTTY, io.env),
      getErrHasColors: () => colourEnabled(io.stderrIsTTY ?? io.isTTY, io.env),
    })
    .exitOverride()
    .showHelpAfterError(true)
    .allowExcessArguments(false)
    .allowUnknownOption(false)
    .addHelpText('after', ENVIRONMENT_HELP)
    .addHelpText('afterAll', EXIT_CODES_HELP);
  registerAgentCommands(program, context);
  registerDelegationCommands(program, context);
  registerSessionCommands(program, context);
  registerRunCommands(program, context);
  registerRunnerCommands(program, context);
  registerBlueprintCommands(program, context);
  registerServerStart(program, context);
  registerZoneCreate(program, context);
  registerAppCreate(program, context);
  registerResourceCreate(program, context);
  registerToken(program, context);
  registerConsole(program, context);
  registerDemo(program, context);
  return program;
}
