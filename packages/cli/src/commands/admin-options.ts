import { InvalidArgumentError, type Command } from 'commander';
import type { CommandContext } from '../command-context.ts';
import { createAdminClient, type AdminClient } from '../http/admin-client.ts';
import { resolveAdminSettings } from '../settings/admin-settings.ts';
import { withJsonOption, type JsonOptions } from './json-option.ts';

/** Flags of the bootstrap commands that call the admin API. */
export interface AdminOptions extends JsonOptions {
  url?: string;
}

export function withAdminOptions(command: Command): Command {
  return withJsonOption(command.option('--url <url>', 'server base URL (default: $CARACAL_COORDINATOR_URL)'), "print the server's JSON answer");
}

export function adminFor(context: CommandContext, options: AdminOptions): AdminClient {
  return createAdminClient(resolveAdminSettings(context.io.env, { url: options.url }));
}

/** `--scopes a,b c` → `['a', 'b', 'c']`; commas and spaces both separate, empties are dropped. */
export function parseScopes(value: string): string[] {
  const scopes = value.split(/[\s,]+/).filter((scope) => scope !== '');
  if (scopes.length === 0) throw new InvalidArgumentError('expected at least one scope, e.g. --scopes tools:call,files:read');
  return scopes;
}

/** A positive whole number of seconds, for `--ttl`. */
export function parseSeconds(value: string): number {
  const seconds = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(seconds) || seconds <= 0) {
    throw new InvalidArgumentError('expected a positive whole number of seconds');
  }
  return seconds;
}
