/**
 * What the per-call token exchange adds to an MCP tool call.
 *
 * Two MCP v1 clients call the same tool on the same loopback MCP server (McpServer +
 * StreamableHTTPServerTransport), interleaved call by call in one run:
 *   - exchange: `createMcpFetch` — a fresh mandate from the STS for every tools/call, plus trace
 *     headers and `_meta`;
 *   - static:   plain fetch with one fixed bearer token.
 * Prints p50/p99 of both and the added p50 against the target (≤ 3 ms). Uses the real
 * `@caracal/server` (Coordinator + STS) when its token exchange works, otherwise an in-process STS
 * stand-in that mints ES256 JWTs — the output says which. Never fails over timings.
 *
 * Run: pnpm --filter @caracal/sdk run build && node bench/transport.ts
 * (BENCH_ITERATIONS=2000 for more samples; BENCH_DATABASE_URL=postgres://… to run the server on
 * Postgres instead of embedded PGlite.)
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { bind, Caracal } from '@caracal/sdk';
import { createMcpFetch } from '@caracal/sdk/mcp';
import { generateKeyPair, SignJWT } from 'jose';

const RESOURCE = 'mcp://bench.tools';
const TARGET_ADDED_P50_MS = 3;
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 1000);
const WARMUP = 100;

/** The Caracal side of the run: a client, how to enter a context with it, a static token, teardown. */
interface Stack {
  readonly label: string;
  readonly caracal: Caracal;
  inContext<R>(fn: () => Promise<R>): Promise<R>;
  readonly staticToken: string;
  close(): Promise<void>;
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

async function readText(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The part of `@caracal/server`'s `startServer` contract this bench uses. */
type StartServer = (options: {
  port: number;
  logger: boolean;
  databaseUrl?: string;
  databaseSchema?: string;
  keyEncryptionSecret: string;
  eventSigningSecret: string;
  bootstrap: { zones: Array<{ id: string; applications: Array<{ id: string; secret: string; scopes: string[] }>; resources: Array<{ id: string; scopes: string[] }> }> };
}) => Promise<{ url: string; close(): Promise<void> }>;

/** Removes the bench's own schema from a shared Postgres. */
async function dropSchema(databaseUrl: string, schema: string): Promise<void> {
  type PgClient = { connect(): Promise<void>; query(sql: string): Promise<unknown>; end(): Promise<void> };
  const pgPackage = 'pg';
  const pg = ((await import(pgPackage)) as { default: { Client: new (options: { connectionString: string }) => PgClient } }).default;
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

/** The real server, bootstrapped with a zone, an application and the MCP resource. */
async function realStack(): Promise<Stack> {
  // Imported by name at run time: the server's dist may not be built, and then the stand-in runs.
  const serverPackage = '@caracal/server';
  const { startServer } = (await import(serverPackage)) as { startServer: StartServer };
  const secret = randomUUID();
  const databaseUrl = process.env.BENCH_DATABASE_URL;
  const databaseSchema = `bench_transport_${process.pid}`;
  const server = await startServer({
    port: 0,
    logger: false,
    // A server on Postgres needs its own secrets (docs/configuration.md); random ones do for a bench.
    keyEncryptionSecret: randomBytes(32).toString('base64url'),
    eventSigningSecret: randomBytes(32).toString('base64url'),
    ...(databaseUrl === undefined ? {} : { databaseUrl, databaseSchema }),
    bootstrap: { zones: [{ id: 'zone_bench', applications: [{ id: 'app_bench', secret, scopes: ['tools:call'] }], resources: [{ id: RESOURCE, scopes: ['tools:call'] }] }] },
  });
  const caracal = new Caracal({ coordinatorUrl: server.url, zoneId: 'zone_bench', clientId: 'app_bench', clientSecret: secret });
  try {
    const inContext: Stack['inContext'] = (fn) => caracal.spawn({ kind: 'ephemeral' }, fn);
    const staticToken = await inContext(async () => (await caracal.exchange({ resource: RESOURCE, scopes: ['tools:call'] })).accessToken);
    return {
      label: `REAL @caracal/server ${server.url} (Coordinator + STS, ${databaseUrl === undefined ? 'embedded PGlite' : 'Postgres'})`,
      caracal,
      inContext,
      staticToken,
      close: async () => {
        await caracal.close();
        await server.close();
        if (databaseUrl !== undefined) await dropSchema(databaseUrl, databaseSchema);
      },
    };
  } catch (error) {
    await caracal.close();
    await server.close();
    throw error;
  }
}

/** An in-process STS stand-in speaking the same RFC 8693 form, minting ES256 JWT mandates. */
async function standInStack(reason: string): Promise<Stack> {
  const { privateKey } = await generateKeyPair('ES256');
  const sessionToken = `bench-session-${randomUUID()}`;
  const mint = (audience: string): Promise<string> =>
    new SignJWT({ scope: 'tools:call', use: 'call' })
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt' })
      .setAudience(audience)
      .setJti(randomUUID())
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);
  const sts = createServer((request, response) => {
    void readText(request).then(async (text) => {
      const form = new URLSearchParams(text);
      if (form.get('subject_token') !== sessionToken) return void response.writeHead(400).end('{"error":"invalid_grant"}');
      const body = JSON.stringify({ access_token: await mint(form.get('resource') ?? ''), token_type: 'Bearer', expires_in: 300 });
      response.writeHead(200, { 'content-type': 'application/json' }).end(body);
    });
  });
  const url = await listen(sts);
  const caracal = new Caracal({ coordinatorUrl: url, zoneId: 'zone_bench', clientId: 'app_bench', subjectToken: sessionToken });
  const context = { subjectToken: sessionToken, zoneId: 'zone_bench', clientId: 'app_bench', agentSessionId: 'agentsess_bench', hop: 0 };
  return {
    label: `STAND-IN STS (in-process, ES256 JWTs) — the real server was not usable: ${reason}`,
    caracal,
    inContext: (fn) => bind(context, fn),
    staticToken: await mint(RESOURCE),
    close: async () => {
      await caracal.close();
      await close(sts);
    },
  };
}

/** A loopback MCP v1 server with one `ping` tool; one stateful session per client. */
async function startMcpServer(): Promise<{ url: string; close(): Promise<void> }> {
  const sessions = new Map<string, StreamableHTTPServerTransport>();
  const server = createServer((request, response) => {
    void (async () => {
      const text = request.method === 'POST' ? await readText(request) : '';
      const sessionId = request.headers['mcp-session-id'];
      let transport = typeof sessionId === 'string' ? sessions.get(sessionId) : undefined;
      if (transport === undefined) {
        const created = new StreamableHTTPServerTransport({ sessionIdGenerator: () => randomUUID(), onsessioninitialized: (id) => void sessions.set(id, created) });
        const mcp = new McpServer({ name: 'bench-tools', version: '1.0.0' });
        mcp.registerTool('ping', { description: 'Answers pong.' }, async () => ({ content: [{ type: 'text', text: 'pong' }] }));
        await mcp.connect(created);
        transport = created;
      }
      await transport.handleRequest(request, response, text === '' ? undefined : JSON.parse(text));
    })();
  });
  const url = `${await listen(server)}/mcp`;
  return {
    url,
    close: async () => {
      for (const transport of sessions.values()) await transport.close();
      await close(server);
    },
  };
}

function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? Number.NaN;
}

async function main(): Promise<void> {
  let stack: Stack;
  try {
    stack = await realStack();
  } catch (error) {
    stack = await standInStack(error instanceof Error ? error.message.split('\n')[0] ?? String(error) : String(error));
  }
  const mcp = await startMcpServer();
  const staticFetch = (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const headers = new Headers(init?.headers);
    headers.set('authorization', `Bearer ${stack.staticToken}`);
    return fetch(input, { ...init, headers });
  };
  const exchanging = new Client({ name: 'bench-exchange', version: '1.0.0' });
  const fixed = new Client({ name: 'bench-static', version: '1.0.0' });
  const samples = { exchange: [] as number[], static: [] as number[], exchangeOnly: [] as number[] };
  await stack.inContext(async () => {
    await exchanging.connect(new StreamableHTTPClientTransport(new URL(mcp.url), { fetch: createMcpFetch({ caracal: stack.caracal, resource: RESOURCE, scopes: ['tools:call'] }) }));
    await fixed.connect(new StreamableHTTPClientTransport(new URL(mcp.url), { fetch: staticFetch }));
    const call = { name: 'ping', arguments: {} };
    for (let index = 0; index < WARMUP + ITERATIONS; index++) {
      // Interleaved so both variants see the same machine noise.
      for (const [name, client] of [['exchange', exchanging], ['static', fixed]] as const) {
        const started = performance.now();
        await client.callTool(call);
        if (index >= WARMUP) samples[name].push(performance.now() - started);
      }
      // The STS round trip alone, to tell its share of the added time from the transport's.
      const started = performance.now();
      await stack.caracal.exchange({ resource: RESOURCE, scopes: ['tools:call'] });
      if (index >= WARMUP) samples.exchangeOnly.push(performance.now() - started);
    }
    await exchanging.close();
    await fixed.close();
  });
  await mcp.close();
  await stack.close();

  const exchangeSorted = samples.exchange.sort((a, b) => a - b);
  const staticSorted = samples.static.sort((a, b) => a - b);
  const exchangeOnlySorted = samples.exchangeOnly.sort((a, b) => a - b);
  const added = percentile(exchangeSorted, 0.5) - percentile(staticSorted, 0.5);
  const format = (ms: number): string => `${ms.toFixed(3)} ms`;
  console.log(`MCP tool call latency, per-call exchange vs static token — ${ITERATIONS} calls each, loopback`);
  console.log(`STS: ${stack.label}`);
  console.log(`  static token    p50 ${format(percentile(staticSorted, 0.5))}   p99 ${format(percentile(staticSorted, 0.99))}`);
  console.log(`  per-call exch.  p50 ${format(percentile(exchangeSorted, 0.5))}   p99 ${format(percentile(exchangeSorted, 0.99))}`);
  console.log(`  exchange alone  p50 ${format(percentile(exchangeOnlySorted, 0.5))}   p99 ${format(percentile(exchangeOnlySorted, 0.99))}   (caracal.exchange(), the STS round trip)`);
  console.log(`  added p50       ${format(added)}   (ratio ${(percentile(exchangeSorted, 0.5) / percentile(staticSorted, 0.5)).toFixed(2)}x)`);
  console.log(`${added <= TARGET_ADDED_P50_MS ? 'PASS' : 'MISS'}: added p50 ${format(added)} vs target ≤ ${TARGET_ADDED_P50_MS} ms`);
}

await main();
