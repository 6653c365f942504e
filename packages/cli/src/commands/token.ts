import type { Command } from 'commander';
import type { CommandContext } from '../command-context.ts';
import { CliError } from '../errors.ts';
import { nonEmpty } from '../settings/coordinator-settings.ts';
import { adminFor, parseSeconds, withAdminOptions, type AdminOptions } from './admin-options.ts';

export const MISSING_TOKEN_ZONE = 'zone not set — pass --zone <id> or export CARACAL_ZONE_ID';

/**
 * `caracal token --zone <z>`: mints an operator mandate (scope `agent:lifecycle caracal:admin`)
 * and prints only the token, so `export CARACAL_COORDINATOR_TOKEN=$(caracal token --zone z)` works.
 */
export function registerToken(program: Command, context: CommandContext): void {
  withAdminOptions(program.command('token').description('Mint an operator token for the agent and delegation commands'))
    .option('--zone <id>', 'zone the token is for (default: $CARACAL_ZONE_ID)')
    .option('--ttl <seconds>', 'lifetime in seconds (default: the server’s)', parseSeconds)
    .addHelpText('after', '\nExample: export CARACAL_COORDINATOR_TOKEN=$(caracal token --zone zone_dev)')
    .action(async (options: AdminOptions & { zone?: string; ttl?: number }) => {
      const zoneId = nonEmpty(options.zone) ?? nonEmpty(context.io.env.CARACAL_ZONE_ID);
      if (zoneId === undefined) throw new CliError('missing_setting', MISSING_TOKEN_ZONE);
      const admin = adminFor(context, options);
      const minted = await context.progress('minting an operator token…', () =>
        admin.mintOperatorToken(zoneId, options.ttl === undefined ? {} : { ttl_seconds: options.ttl }),
      );
      if (options.json === true) {
        context.output.json(minted);
        return;
      }
      if (typeof minted.access_token !== 'string') throw new CliError('invalid_response', 'mint operator token: the server returned no access_token');
      context.output.line(minted.access_token);
    });
}
