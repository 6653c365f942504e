import type { Command } from 'commander';
import type { CommandContext } from '../command-context.ts';
import { CliError } from '../errors.ts';
import { registerAdminList, registerZoneRecordCreate } from './admin-create.ts';
import { APPLICATION_COLUMNS } from './columns.ts';

/** `caracal app create <zone> <id> --scopes a,b` (prints the client secret, shown only once) and `caracal app list <zone>`. */
export function registerAppCreate(program: Command, context: CommandContext): void {
  const app = program.command('app').description('Manage applications (admin API)');
  registerZoneRecordCreate(context, {
    group: app,
    description: 'Create an application (an OAuth client) in a zone and print its secret once',
    idArgument: ['<id>', 'application id; also its OAuth client_id'],
    scopesDescription: 'scopes the application may be granted, comma-separated',
    scopesRequired: false,
    what: 'application',
    create: (admin, zoneId, id, scopes) => admin.createApplication(zoneId, { id, scopes }),
    print: (ctx, created, zoneId, id) => {
      const secret = created.client_secret;
      if (typeof secret !== 'string') throw new CliError('invalid_response', 'create application: the server returned no client_secret');
      ctx.output.record({ client_id: created.client_id ?? id, client_secret: secret, zone_id: zoneId }, { json: false });
      ctx.io.stderr.write('The client secret is shown only once: store it now.\n');
    },
  });
  registerAdminList(context, {
    group: app,
    description: 'List the applications of a zone',
    zoneArgument: true,
    columns: APPLICATION_COLUMNS,
    what: 'applications',
    list: (admin, zoneId) => admin.listApplications(zoneId),
  });
}
