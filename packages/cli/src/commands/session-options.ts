import type { CommandContext } from '../command-context.ts';
import { createSessionClient, type SessionClient } from '../http/session-client.ts';
import { resolveSessionSettings, type SessionSettings } from '../settings/session-settings.ts';

/** Settings are resolved per invocation, after parsing, so `--help` works with nothing configured. */
export function sessionClientFor(context: CommandContext): { client: SessionClient; settings: SessionSettings } {
  const settings = resolveSessionSettings(context.io.env);
  return { client: createSessionClient(settings), settings };
}
