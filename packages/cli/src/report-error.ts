import { CommanderError } from 'commander';
import { CliError, ExitCode } from './errors.ts';
import type { CliIo } from './io.ts';

/**
 * Turns whatever a command threw into stderr text and an exit code. Commander has already printed
 * its own usage errors; ours print their message, and server refusals add the request id so an
 * operator can find the request in the server's logs.
 */
export function reportError(error: unknown, io: CliIo): number {
  if (error instanceof CommanderError) {
    // --help and --version end through the same path with exit code 0.
    return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  }
  if (error instanceof CliError) {
    io.stderr.write(`${error.message}\n`);
    if (error.server !== undefined) {
      const requestId = error.server.requestId ?? 'not given';
      io.stderr.write(`  HTTP ${error.server.status}, request id ${requestId}\n`);
    }
    if (error.hint !== undefined) io.stderr.write(`${error.hint}\n`);
    return error.exitCode;
  }
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  io.stderr.write(`caracal: unexpected error: ${detail}\n`);
  return ExitCode.failure;
}
