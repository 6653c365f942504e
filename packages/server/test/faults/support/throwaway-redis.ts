import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

/**
 * The `redis-server` binary, found on PATH once: a restart mid-test then never depends on PATH
 * lookups (a PATH entry that is briefly unreadable, a shared toolchain link being replaced, made
 * a restart fail with ELOOP).
 */
function redisServerBinary(): string {
  for (const folder of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(folder, 'redis-server');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here, or this folder cannot be read: try the next one
    }
  }
  return 'redis-server';
}

/** A port that was free a moment ago. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as { port: number }).port;
  server.close();
  await once(server, 'close');
  return port;
}

/** One round trip of a RESP command on a fresh socket; undefined when nothing answers. */
export async function redisCommand(port: number, ...args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    let reply = '';
    socket.setTimeout(2000, () => socket.destroy());
    socket.on('connect', () => socket.write(`*${args.length}\r\n${args.map((arg) => `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`).join('')}`));
    socket.on('data', (chunk) => {
      reply += chunk.toString('utf8');
      if (reply.endsWith('\r\n')) socket.end();
    });
    socket.on('error', () => resolve(undefined));
    socket.on('close', () => resolve(reply === '' ? undefined : reply));
  });
}

/**
 * A `redis-server` of our own on a free port, without persistence, that a fault test may stop and
 * start again on the same port. The shared Redis on 6379 is never touched.
 */
export interface ThrowawayRedis {
  port: number;
  url: string;
  start(): Promise<void>;
  /** SHUTDOWN (NOSAVE unless durable) and wait for the process to exit. */
  stop(): Promise<void>;
  /** Stops it and removes its data folder (durable instances). */
  dispose(): Promise<void>;
}

/**
 * `durable`: an append-only file fsynced on every write in a temp folder, so a restart keeps the
 * streams (a fault test that restarts Redis checks that no event is lost).
 */
export async function throwawayRedis(options: { durable?: boolean } = {}): Promise<ThrowawayRedis> {
  const port = await freePort();
  const dataDir = options.durable === true ? mkdtempSync(join(tmpdir(), 'caracal-redis-')) : undefined;
  const persistence = dataDir === undefined ? ['--save', '', '--appendonly', 'no'] : ['--save', '', '--appendonly', 'yes', '--appendfsync', 'always', '--dir', dataDir];
  let child: ChildProcess | undefined;
  const binary = redisServerBinary();
  const instance: ThrowawayRedis = {
    port,
    url: `redis://127.0.0.1:${port}`,
    async start() {
      child = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', ...persistence], {
        stdio: 'ignore',
      });
      const deadline = Date.now() + 10_000;
      while ((await redisCommand(port, 'PING')) !== '+PONG\r\n') {
        if (Date.now() > deadline) throw new Error(`redis-server on ${port} did not start`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async stop() {
      const current = child;
      if (current === undefined || current.exitCode !== null) return;
      const exited = once(current, 'exit');
      await redisCommand(port, 'SHUTDOWN', dataDir === undefined ? 'NOSAVE' : 'SAVE');
      if (current.exitCode === null) current.kill('SIGTERM');
      await exited;
      child = undefined;
    },
    async dispose() {
      await instance.stop();
      if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
    },
  };
  await instance.start();
  return instance;
}
