import { createCommandContext } from './command-context.ts';
import { ExitCode } from './errors.ts';
import type { CliIo } from './io.ts';
import { buildProgram } from './program.ts';
import { reportError } from './report-error.ts';

/**
 * Runs `caracal` with `argv` (without `node` and the script path) and resolves to the exit code.
 * Never exits the process and never throws: every failure is printed to `io.stderr`.
 */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const context = createCommandContext(io);
  try {
    await buildProgram(context).parseAsync([...argv], { from: 'user' });
    return ExitCode.ok;
  } catch (error) {
    return reportError(error, io);
  }
}
