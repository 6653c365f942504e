import { readFile } from 'node:fs/promises';
import { InvalidArgumentError, type Command } from 'commander';
import type { BlueprintResource, CreateBlueprintBody } from '@caracal/protocol';
import type { CommandContext } from '../command-context.ts';
import { CliError } from '../errors.ts';
import { blueprintNameArgument } from '../id-arguments.ts';
import { withJsonOption, type JsonOptions } from './json-option.ts';
import { blueprintClientFor } from './token-zone-clients.ts';

interface CreateOptions extends JsonOptions {
  description?: string;
  systemPromptFile?: string;
  mcpConfig?: string;
  skills?: string;
  tags?: string;
  grant: BlueprintResource[];
}

const list = (value: string | undefined): string[] | undefined =>
  value === undefined ? undefined : value.split(',').map((item) => item.trim()).filter((item) => item !== '');

/** `--grant <resource>=<scope,scope>`, repeatable: one resource of the blueprint's authority each. */
function collectGrant(value: string, previous: BlueprintResource[]): BlueprintResource[] {
  const at = value.lastIndexOf('=');
  const scopes = list(value.slice(at + 1)) ?? [];
  if (at <= 0 || scopes.length === 0) throw new InvalidArgumentError('expected <resource>=<scope>[,<scope>…], e.g. mcp://tools.local=tools:call');
  return [...previous, { resource_id: value.slice(0, at), scopes }];
}

async function readText(path: string, flag: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new CliError('usage', `${flag}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`, { cause: error });
  }
}

/** `agent.mcp.json` as the seed project writes it (`{ "mcpServers": { … } }`), or the servers object alone. */
async function readMcpServers(path: string): Promise<Record<string, Record<string, unknown>>> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readText(path, '--mcp-config'));
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError('usage', `--mcp-config: ${path} is not valid JSON`, { cause: error });
  }
  const servers = typeof parsed === 'object' && parsed !== null && 'mcpServers' in parsed ? (parsed as { mcpServers: unknown }).mcpServers : parsed;
  if (typeof servers !== 'object' || servers === null || Array.isArray(servers)) throw new CliError('usage', `--mcp-config: ${path} holds no mcpServers object`);
  return servers as Record<string, Record<string, unknown>>;
}

/** `caracal blueprint create <name> …`: a blueprint in the token's zone (an operator mandate). */
export function registerBlueprintCreate(blueprint: Command, context: CommandContext): void {
  withJsonOption(blueprint.command('create').description('Create a blueprint (operator mandate)').argument('<name>', 'blueprint name', blueprintNameArgument), 'print JSON (lists print an array) instead of text')
    .option('--description <text>', 'what the agent is for')
    .option('--system-prompt-file <file>', 'the system prompt, read from a file (agent.system-prompt.md)')
    .option('--mcp-config <file>', 'MCP servers, as agent.mcp.json ({ "mcpServers": { … } })')
    .option('--skills <list>', 'skills, comma-separated')
    .option('--tags <list>', 'tags, comma-separated')
    .option('--grant <resource=scopes>', "authority: a resource of the zone and the scopes the blueprint's agents may use on it (repeatable)", collectGrant, [])
    .addHelpText('after', '\nExample: caracal blueprint create researcher --tags research --grant mcp://tools.local=tools:call')
    .action(async (name: string, options: CreateOptions) => {
      const body: CreateBlueprintBody = { name };
      if (options.description !== undefined) body.description = options.description;
      if (options.systemPromptFile !== undefined) body.system_prompt = await readText(options.systemPromptFile, '--system-prompt-file');
      if (options.mcpConfig !== undefined) body.mcp_servers = await readMcpServers(options.mcpConfig);
      if (options.skills !== undefined) body.skills = list(options.skills)!;
      if (options.tags !== undefined) body.tags = list(options.tags)!;
      if (options.grant.length > 0) body.authority = { resources: options.grant };
      const created = await context.progress(`creating blueprint ${name}…`, () => blueprintClientFor(context).create(body));
      if (options.json === true) context.output.json(created);
      else context.output.line(`created blueprint ${name}`);
    });
}
