import { InvalidArgumentError, type Command } from 'commander';
import type { CommandContext } from '../command-context.ts';
import { startEmbeddedServer, type EmbeddedServerOptions } from '../embedded-server.ts';
import type { ServerConfigFile } from '../settings/server-config-file.ts';
import { resolveServerSettings, type ServerSettings, type ServerStartFlags } from '../settings/server-settings.ts';

/** `caracal server start`: the Coordinator and STS in this process until SIGINT/SIGTERM. */
export function registerServerStart(program: Command, context: CommandContext): void {
  const server = program.command('server').description('Run the Caracal server (Coordinator + STS)');
  server
    .command('start')
    .description('Start the server in this process; stops gracefully on Ctrl-C (SIGINT) or SIGTERM')
    .option('--port <port>', 'TCP port, 0 picks a free one (env PORT; default 4000)', parsePort)
    .option('--host <host>', 'interface to bind (env HOST; default 127.0.0.1)')
    .option('--database-url <url>', 'postgres:// URL (env DATABASE_URL; default embedded PGlite)')
    .option('--redis-url <url>', 'redis:// URL (env REDIS_URL; default in-process event bus)')
    .option('--data-dir <dir>', 'PGlite data folder without a database URL; memory:// keeps nothing (env CARACAL_DATA_DIR; default .caracal-data)')
    .option('--admin-token <token>', 'admin API bearer (env CARACAL_ADMIN_TOKEN; default: generated and printed)')
    .option('--log-level <level>', 'server log level (env LOG_LEVEL; default warn)')
    .option('--config <file>', 'caracal.config.json: settings in snake_case plus the bootstrap "zones"')
    .addHelpText('after', `\nConfig file example:\n${CONFIG_EXAMPLE}`)
    .action(async (flags: ServerStartFlags & { config?: string }) => {
      const config: ServerConfigFile = flags.config === undefined ? {} : await readConfig(flags.config);
      const settings = resolveServerSettings(flags, context.io.env, config);
      const running = await context.progress('starting the server…', () => startEmbeddedServer('caracal server start', embeddedOptions(settings)));
      context.output.line(`caracal server listening on ${running.url}`);
      printHints(context, running.url, settings);
      const signal = context.io.waitForShutdown === undefined ? 'no signal source' : await context.io.waitForShutdown();
      context.io.stderr.write(`${signal}: stopping…\n`);
      await running.close();
      context.io.stderr.write('stopped\n');
    });
}

/** Loaded on demand: the schema checker is needed by `server start --config` only, not by every command. */
async function readConfig(path: string): Promise<ServerConfigFile> {
  const { readServerConfigFile } = await import('../settings/server-config-file.ts');
  return readServerConfigFile(path);
}

function embeddedOptions(settings: ServerSettings): EmbeddedServerOptions {
  return {
    port: settings.port,
    host: settings.host,
    adminToken: settings.adminToken,
    logger: { level: settings.logLevel },
    ...(settings.databaseUrl === undefined ? {} : { databaseUrl: settings.databaseUrl }),
    ...(settings.redisUrl === undefined ? {} : { redisUrl: settings.redisUrl }),
    ...(settings.dataDir === undefined ? {} : { dataDir: settings.dataDir }),
    ...(settings.bootstrap === undefined ? {} : { bootstrap: settings.bootstrap }),
  };
}

/** How to point the other commands at this server; on stderr so stdout stays the URL line. */
function printHints(context: CommandContext, url: string, settings: ServerSettings): void {
  const { dim } = context.output.style;
  const lines = [`  export CARACAL_COORDINATOR_URL=${url}`];
  if (settings.adminTokenGenerated) lines.push(`  export CARACAL_ADMIN_TOKEN=${settings.adminToken}   ${dim('# generated for this run')}`);
  lines.push(dim(`  database: ${describeDatabase(settings)}`));
  lines.push(dim(settings.redisUrl === undefined ? '  events: in-process bus' : '  events: Redis Streams'));
  context.io.stderr.write(`${lines.join('\n')}\n`);
}

function describeDatabase(settings: ServerSettings): string {
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
