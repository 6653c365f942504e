import type { Command } from 'commander';
import type { CommandContext } from '../command-context.ts';
import type { AdminClient } from '../http/admin-client.ts';
import { adminFor, parseScopes, withAdminOptions, type AdminOptions } from './admin-options.ts';

/** What one `<group> create <zone> <id> --scopes …` command makes. */
interface ZoneRecordCreate {
  group: Command;
  description: string;
  idArgument: [name: string, description: string];
  scopesDescription: string;
  /** Optional for applications (none by default), required for resources. */
  scopesRequired: boolean;
  what: string;
  create(admin: AdminClient, zoneId: string, id: string, scopes: string[]): Promise<Record<string, unknown>>;
  /** The human output; `--json` prints the server's answer. */
  print(context: CommandContext, created: Record<string, unknown>, zoneId: string, id: string, scopes: string[]): void;
}

/** `caracal app create` and `caracal resource create`: a record of a zone with its scopes. */
export function registerZoneRecordCreate(context: CommandContext, spec: ZoneRecordCreate): void {
  const command = withAdminOptions(
    spec.group.command('create').description(spec.description).argument('<zone>', 'zone id').argument(...spec.idArgument),
  );
  if (spec.scopesRequired) command.requiredOption('--scopes <scopes>', spec.scopesDescription, parseScopes);
  else command.option('--scopes <scopes>', spec.scopesDescription, parseScopes);
  command.action(async (zoneId: string, id: string, options: AdminOptions & { scopes?: string[] }) => {
    const admin = adminFor(context, options);
    const scopes = options.scopes ?? [];
    const created = await context.progress(`creating ${spec.what} ${id}…`, () => spec.create(admin, zoneId, id, scopes));
    if (options.json === true) context.output.json(created);
    else spec.print(context, created, zoneId, id, scopes);
  });
}

/** `caracal zone list`, `app list <zone>`, `resource list <zone>`: every page of an admin list. */
export function registerAdminList(
  context: CommandContext,
  spec: { group: Command; description: string; zoneArgument: boolean; columns: readonly string[]; what: string; list(admin: AdminClient, zoneId: string): Promise<ReadonlyArray<Record<string, unknown>>> },
): void {
  const command = spec.group.command('list').description(spec.description);
  if (spec.zoneArgument) command.argument('<zone>', 'zone id');
  withAdminOptions(command)
    .addHelpText('after', `\nColumns: ${spec.columns.join(', ')}`)
    .action(async (...args: unknown[]) => {
      const zoneId = spec.zoneArgument ? String(args[0]) : '';
      const options = args[spec.zoneArgument ? 1 : 0] as AdminOptions;
      const admin = adminFor(context, options);
      const rows = await context.progress(`listing ${spec.what}…`, () => spec.list(admin, zoneId));
      context.output.list(rows, { columns: spec.columns, json: options.json === true });
    });
}
