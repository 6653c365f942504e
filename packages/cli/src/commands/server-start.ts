import { InvalidArgumentError, type Command } from 'commander';
import type { CommandContext } from '../command-context.ts';
import { asCliError, loadServerModule, startEmbeddedServer, type EmbeddedServerSettings } from '../embedded-server.ts';
import { randomToken } from '../random-token.ts';
import { consoleLink } from './console.ts';
import { SERVER_START_FLAGS } from '../settings/server-start-flags.ts';

/**
 * `caracal server start`: the Coordinator and STS in this process until SIGINT/SIGTERM. Settings
 * go through the server's own reader (flags > environment > config file), the one `node
 * dist/main.js` uses, so both accept the same settings and refuse the same mistakes.
 */
export function registerServerStart(program: Command, context: CommandContext): void {
  const server = program.command('server').description('Run the Caracal server (Coordinator + STS)');
  const start = server
    .command('start')
    .description('Start the server in this process; stops gracefully on Ctrl-C (SIGINT) or SIGTERM. Settings: docs/configuration.md');
  for (const { flag, help } of SERVER_START_FLAGS) {
    if (flag.startsWith('--port ')) start.option(flag, help, parsePort);
    else start.option(flag, help);
  }
  start
    .option('--config <file>', 'caracal.config.json: settings in snake_case plus the bootstrap "zones" (CARACAL_CONFIG)')
    .addHelpText('after', `\nConfig file example:\n${CONFIG_EXAMPLE}`)
    .action(async (flags: Record<string, string | number | boolean | undefined>) => {
      const { config, ...settingFlags } = flags;
      const module = await loadServerModule('caracal server start');
      const settings = await module
        .readServerSettings({
          flags: Object.fromEntries(Object.entries(settingFlags).filter((entry): entry is [string, string | number | boolean] => entry[1] !== undefined)),
          env: context.io.env,
          ...(typeof config === 'string' ? { configPath: config } : {}),
        })
        .catch((error: unknown) => {
          throw asCliError(error);
        });
      // The CLI is how a developer starts a server: without a configured admin token it makes one up and prints it.
      const adminTokenGenerated = settings.adminToken === undefined;
      const withToken = { ...settings, adminToken: settings.adminToken ?? randomToken(24) };
      // The embedded database takes seconds to boot: say so at once, and how long it took.
      const started = performance.now();
      context.io.stderr.write(`starting: ${describeDatabase(withToken)}${withToken.databaseUrl === undefined ? ' (its first start takes a few seconds)' : ''}…\n`);
      const running = await context.progress('starting the server…', () =>
        startEmbeddedServer('caracal server start', module.startOptionsFrom(withToken), module),
      );
      context.io.stderr.write(`ready in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
      context.output.line(`caracal server listening on ${running.url}`);
      printHints(context, running.url, withToken, adminTokenGenerated, running.notices ?? []);
      const signal = context.io.waitForShutdown === undefined ? 'no signal source' : await context.io.waitForShutdown();
      context.io.stderr.write(`${signal}: stopping…\n`);
      await running.close();
      context.io.stderr.write('stopped\n');
    });
}

/** How to point the other commands at this server; on stderr so stdout stays the URL line. */
function printHints(context: CommandContext, url: string, settings: EmbeddedServerSettings, adminTokenGenerated: boolean, notices: readonly string[]): void {
  const { dim, yellow } = context.output.style;
  const lines = [`  export CARACAL_COORDINATOR_URL=${url}`];
  if (adminTokenGenerated) lines.push(`  export CARACAL_ADMIN_TOKEN=${settings.adminToken}   ${dim('# generated for this run')}`);
  lines.push(dim(`  database: ${describeDatabase(settings)}`));
  lines.push(dim(settings.redisUrl === undefined ? '  events: in-process bus' : '  events: Redis Streams'));
  for (const notice of notices) lines.push(yellow(`  note: ${notice}`));
  lines.push(`  console: ${consoleLink(url)}   ${dim('# sign in with a link from: caracal console --zone <zone>')}`);
  context.io.stderr.write(`${lines.join('\n')}\n`);
}

function describeDatabase(settings: EmbeddedServerSettings): string {
  if (settings.databaseUrl !== undefined) return 'Postgres';
  const inMemory = settings.dataDir === undefined || settings.dataDir.startsWith('memory://');
  return `embedded PGlite ${inMemory ? 'in memory' : `in ${settings.dataDir}`}`;
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65_535) throw new InvalidArgumentError('expected a port number from 0 to 65535');
  return port;
}

const CONFIG_EXAMPLE = `  {
    "port": 4000,
    "admin_token": "change-me",
    "zones": [{
      "id": "zone_dev",
      "applications": [{ "id": "app_orchestrator", "secret": "…", "scopes": ["tools:call"] }],
      "resources": [{ "id": "mcp://tools.local", "scopes": ["tools:call"] }]
    }]
  }`;
