import type { Command } from 'commander';
import type { CommandContext } from '../command-context.ts';
import { adminFor, parseScopes, withAdminOptions, type AdminOptions } from './admin-options.ts';

/** `caracal resource create <zone> <uri> --scopes …`: a resource mandates can be minted for. */
export function registerResourceCreate(program: Command, context: CommandContext): void {
  const resource = program.command('resource').description('Manage resources (admin API)');
  withAdminOptions(
    resource
      .command('create')
      .description('Register a resource (RFC 8707 identifier) and the scopes it accepts')
      .argument('<zone>', 'zone id')
      .argument('<uri>', 'resource identifier, e.g. mcp://tools.local'),
  )
    .requiredOption('--scopes <scopes>', 'scopes the resource accepts, comma-separated', parseScopes)
    .action(async (zoneId: string, uri: string, options: AdminOptions & { scopes: string[] }) => {
      const admin = adminFor(context, options);
      const created = await context.progress(`creating resource ${uri}…`, () => admin.createResource(zoneId, { id: uri, scopes: options.scopes }));
      if (options.json === true) context.output.json(created);
      else context.output.line(`created resource ${uri} in zone ${zoneId} (scopes: ${options.scopes.join(', ')})`);
    });
}
