import type { Command } from 'commander';
import type { CommandContext } from '../command-context.ts';
import { registerAdminList, registerZoneRecordCreate } from './admin-create.ts';
import { RESOURCE_COLUMNS } from './columns.ts';

/** `caracal resource create <zone> <uri> --scopes …` (a resource mandates can be minted for) and `caracal resource list <zone>`. */
export function registerResourceCreate(program: Command, context: CommandContext): void {
  const resource = program.command('resource').description('Manage resources (admin API)');
  registerZoneRecordCreate(context, {
    group: resource,
    description: 'Register a resource (RFC 8707 identifier) and the scopes it accepts',
    idArgument: ['<uri>', 'resource identifier, e.g. mcp://tools.local'],
    scopesDescription: 'scopes the resource accepts, comma-separated',
    scopesRequired: true,
    what: 'resource',
    create: (admin, zoneId, uri, scopes) => admin.createResource(zoneId, { id: uri, scopes }),
    print: (ctx, _created, zoneId, uri, scopes) => ctx.output.line(`created resource ${uri} in zone ${zoneId} (scopes: ${scopes.join(', ')})`),
  });
  registerAdminList(context, {
    group: resource,
    description: 'List the resources of a zone',
    zoneArgument: true,
    columns: RESOURCE_COLUMNS,
    what: 'resources',
    list: (admin, zoneId) => admin.listResources(zoneId),
  });
}
