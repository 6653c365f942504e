import type { Command } from 'commander';
import type { CommandContext } from '../command-context.ts';
import { createSessionClient, type SessionClient } from '../http/session-client.ts';
import { resolveSessionSettings, type SessionSettings } from '../settings/session-settings.ts';

/** The flag every `session` command accepts; the zone is the token's, so there is no `--zone`. */
export interface SessionOptions {
  json?: boolean;
}

export function withSessionOptions(command: Command): Command {
  return command.option('--json', 'print JSON (lists print an array) instead of a table');
}

/** Settings are resolved per invocation, after parsing, so `--help` works with nothing configured. */
export function sessionClientFor(context: CommandContext): { client: SessionClient; settings: SessionSettings } {
  const settings = resolveSessionSettings(context.io.env);
  return { client: createSessionClient(settings), settings };
}
