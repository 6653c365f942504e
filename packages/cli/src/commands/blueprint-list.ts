import type { Command } from 'commander';
import type { CommandContext } from '../command-context.ts';
import { BLUEPRINT_COLUMNS } from './columns.ts';
import { withJsonOption, type JsonOptions } from './json-option.ts';
import { blueprintClientFor } from './token-zone-clients.ts';

/** `caracal blueprint list [--tags a,b]`: the zone's blueprints; broken directories are reported on stderr. */
export function registerBlueprintList(blueprint: Command, context: CommandContext): void {
  withJsonOption(blueprint.command('list').description("List the zone's blueprints"), 'print JSON (lists print an array) instead of text')
    .option('--tags <tags>', 'only blueprints carrying every one of these tags, comma-separated')
    .addHelpText('after', `\nColumns: ${BLUEPRINT_COLUMNS.join(', ')}\nBroken blueprint directories are listed on stderr as "broken <name>: <why>".`)
    .action(async (options: JsonOptions & { tags?: string }) => {
      const tags = (options.tags ?? '').split(',').map((tag) => tag.trim()).filter((tag) => tag !== '');
      const listing = await context.progress('listing blueprints…', () => blueprintClientFor(context).list(tags));
      const rows = listing.agents.map((agent) => ({ ...agent, tags: Array.isArray(agent.tags) ? agent.tags.join(',') : agent.tags }));
      if (options.json === true) context.output.json(listing.agents);
      else context.output.list(rows, { columns: BLUEPRINT_COLUMNS, json: false });
      for (const broken of listing.broken) context.io.stderr.write(`broken ${String(broken.name)}: ${String(broken.error)}\n`);
    });
}
