import type { Command } from 'commander';
import type { CommandContext } from '../command-context.ts';
import { CliError } from '../errors.ts';
import { adminFor, parseScopes, withAdminOptions, type AdminOptions } from './admin-options.ts';

/** `caracal app create <zone> <id> --scopes a,b`: prints the client secret, which the server shows only once. */
export function registerAppCreate(program: Command, context: CommandContext): void {
  const app = program.command('app').description('Manage applications (admin API)');
  withAdminOptions(
    app
      .command('create')
      .description('Create an application (an OAuth client) in a zone and print its secret once')
      .argument('<zone>', 'zone id')
      .argument('<id>', 'application id; also its OAuth client_id'),
  )
    .option('--scopes <scopes>', 'scopes the application may be granted, comma-separated', parseScopes)
    .action(async (zoneId: string, applicationId: string, options: AdminOptions & { scopes?: string[] }) => {
      const admin = adminFor(context, options);
      const created = await context.progress(`creating application ${applicationId}…`, () =>
        admin.createApplication(zoneId, { id: applicationId, scopes: options.scopes ?? [] }),
      );
      if (options.json === true) {
        context.output.json(created);
        return;
      }
      const secret = created.client_secret;
      if (typeof secret !== 'string') throw new CliError('invalid_response', 'create application: the server returned no client_secret');
      context.output.record({ client_id: created.client_id ?? applicationId, client_secret: secret, zone_id: zoneId }, { json: false });
      context.io.stderr.write('The client secret is shown only once: store it now.\n');
    });
}
