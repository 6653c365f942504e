import type { Command } from 'commander';
import type { CommandContext } from '../command-context.ts';
import { registerAdminList } from './admin-create.ts';
import { adminFor, withAdminOptions, type AdminOptions } from './admin-options.ts';
import { ZONE_COLUMNS } from './columns.ts';

/** `caracal zone create <id>` and `caracal zone list`: a zone is the boundary of applications, resources and sessions. */
export function registerZoneCreate(program: Command, context: CommandContext): void {
  const zone = program.command('zone').description('Manage zones (admin API)');
  withAdminOptions(zone.command('create').description('Create a zone').argument('<id>', 'zone id, e.g. zone_dev'))
    .option('--name <name>', 'human-readable name')
    .action(async (zoneId: string, options: AdminOptions & { name?: string }) => {
      const admin = adminFor(context, options);
      const created = await context.progress(`creating zone ${zoneId}…`, () =>
        admin.createZone({ id: zoneId, ...(options.name === undefined ? {} : { name: options.name }) }),
      );
      if (options.json === true) context.output.json(created);
      else context.output.line(`created zone ${zoneId}`);
    });
  registerAdminList(context, {
    group: zone,
    description: 'List the zones',
    zoneArgument: false,
    columns: ZONE_COLUMNS,
    what: 'zones',
    list: (admin) => admin.listZones(),
  });
}
