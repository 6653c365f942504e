import type { Command } from 'commander';
import type { CommandContext } from '../command-context.ts';
import { CliError } from '../errors.ts';
import { nonEmpty } from '../settings/coordinator-settings.ts';
import { resolveAdminSettings } from '../settings/admin-settings.ts';
import { adminFor, parseSeconds, withAdminOptions, type AdminOptions } from './admin-options.ts';
import { MISSING_TOKEN_ZONE } from './token.ts';

/** Where the server serves the console, and the sign-in link that carries a mandate in its fragment. */
export function consoleLink(url: string, token?: string): string {
  return `${url}/console/${token === undefined ? '' : `#token=${encodeURIComponent(token)}`}`;
}

/**
 * `caracal console --zone <z> [--open]`: mints an operator mandate with the admin token (as
 * `caracal token` does) and prints the console's sign-in link. The mandate rides in the URL
 * fragment, which browsers never send to a server; the console drops it from the address bar.
 */
export function registerConsole(program: Command, context: CommandContext): void {
  withAdminOptions(program.command('console').description('Print (or open) a sign-in link to the web console, with a fresh operator mandate'))
    .option('--zone <id>', 'zone to operate (default: $CARACAL_ZONE_ID)')
    .option('--ttl <seconds>', 'lifetime of the mandate in seconds (default: the server’s)', parseSeconds)
    .option('--open', 'open the link in the default browser, when there is one')
    .addHelpText('after', '\nExample: caracal console --zone zone_dev --open\nThe link holds a mandate: treat it like a password.')
    .action(async (options: AdminOptions & { zone?: string; ttl?: number; open?: boolean }) => {
      const zoneId = nonEmpty(options.zone) ?? nonEmpty(context.io.env.CARACAL_ZONE_ID);
      if (zoneId === undefined) throw new CliError('missing_setting', MISSING_TOKEN_ZONE);
      const { url } = resolveAdminSettings(context.io.env, { url: options.url });
      const admin = adminFor(context, options);
      const minted = await context.progress('minting an operator mandate…', () =>
        admin.mintOperatorToken(zoneId, options.ttl === undefined ? {} : { ttl_seconds: options.ttl }),
      );
      if (typeof minted.access_token !== 'string') throw new CliError('invalid_response', 'mint operator token: the server returned no access_token');
      const link = consoleLink(url, minted.access_token);
      if (options.json === true) context.output.json({ url: link, zone_id: zoneId, expires_in: minted.expires_in });
      else context.output.line(link);
      if (options.open !== true) return;
      const opened = (await context.io.openUrl?.(link)) ?? false;
      context.io.stderr.write(opened ? 'opened the console in your browser\n' : 'no browser could be opened here: open the link above yourself\n');
    });
}
