import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { serverBackends } from '../helpers/server-backends.ts';
import { run } from '../../src/run.ts';
import { fakeIo } from '../helpers/fake-io.ts';
import { startSeedServer, watchedIo, type SeedServer } from '../helpers/seed-server.ts';

type Row = Record<string, unknown>;
// A real server starts (and on PGlite migrates) in beforeAll: slower than the fake Coordinator's tests.
vi.setConfig({ hookTimeout: 120_000, testTimeout: 60_000 });
const REQUEST_ID = /\n {2}HTTP \d{3}, request id req_\w+\n$/;
const UNKNOWN = 'agentsess_00000000000000000000000000';

describe.each(serverBackends())('caracal session … against the real server on $name', (backend) => {
  let server: SeedServer;
  /** Finished, with a result: app one's. */
  let done: string;
  /** Still running: app one's. */
  let busy: string;
  /** App two's. */
  let foreign: string;

  beforeAll(async () => {
    server = await startSeedServer(backend);
    const create = async (token: string, body: Row = {}): Promise<string> =>
      String(((await server.call('POST', '/sessions', token, body)).session as Row).session_id);
    done = await create(server.tokens.one, { agent_name: 'writer', project_dir: '/work/p' });
    await server.call('POST', `/sessions/${done}/events`, server.tokens.one, [
      { event_type: 'run_start', run_id: 'run-1' },
      { event_type: 'pre_tool', run_id: 'run-1', tool_name: 'search', tool_input: { query: 'caracal' } },
      { event_type: 'post_tool', run_id: 'run-1', tool_name: 'search', tool_output: { hits: 3 } },
      { event_type: 'result', run_id: 'run-1', result_text: 'all done', result_data: { pages: 2 } },
      { event_type: 'run_completed', run_id: 'run-1' },
    ]);
    busy = await create(server.tokens.one, { agent_name: 'reader' });
    await server.call('POST', `/sessions/${busy}/events`, server.tokens.one, { event_type: 'run_start' });
    foreign = await create(server.tokens.two);
  });
  afterAll(async () => {
    await server?.close();
    await backend.cleanup();
  });

  const caracal = async (argv: string[], token = server.tokens.one): Promise<{ code: number; stdout: string; stderr: string }> => {
    const io = fakeIo({ env: { CARACAL_COORDINATOR_URL: server.url, CARACAL_COORDINATOR_TOKEN: token } });
    const code = await run(argv, io);
    return { code, stdout: io.out(), stderr: io.err() };
  };
  const rows = (stdout: string): string[][] => stdout.trimEnd().split('\n').map((line) => line.split(/ {2,}/));
  const serverEvents = async (id: string): Promise<Row[]> => (await server.call('GET', `/sessions/${id}/events?limit=500`, server.tokens.operator)).events as Row[];

  describe('session list', () => {
    it('prints the documented columns, newest first; --json prints the array of sessions', async () => {
      const table = await caracal(['session', 'list']);
      expect(table).toMatchObject({ code: 0, stderr: '' });
      const [header, ...body] = rows(table.stdout);
      expect(header).toEqual(['session_id', 'status', 'authority_status', 'application_id', 'agent_name', 'parent_session_id', 'created_at']);
      expect(body.map((row) => row[0])).toEqual([busy, done]);
      expect(body[1]!.slice(0, 6)).toEqual([done, 'finished', 'terminated', 'app_seedone', 'writer', '-']);
      const json = JSON.parse((await caracal(['session', 'list', '--json'])).stdout) as Row[];
      expect(json.map((session) => session.session_id)).toEqual([busy, done]);
      expect(json[0]).toMatchObject({ session_id: busy, status: 'running', agent_name: 'reader' });
    });

    it("filters by run status; an operator sees every application's sessions", async () => {
      const running = JSON.parse((await caracal(['session', 'list', '--status', 'running', '--json'])).stdout) as Row[];
      expect(running.map((session) => session.session_id)).toEqual([busy]);
      const all = JSON.parse((await caracal(['session', 'list', '--json'], server.tokens.operator)).stdout) as Row[];
      expect(all.map((session) => session.session_id)).toEqual(expect.arrayContaining([done, busy, foreign]));
      expect(await caracal(['session', 'list', '--status', 'asleep'])).toMatchObject({ code: 2, stdout: '' });
    });
  });

  describe('session get', () => {
    it('prints key/value lines; --json prints the session', async () => {
      const text = await caracal(['session', 'get', done]);
      expect(text.code).toBe(0);
      expect(text.stdout).toMatch(new RegExp(`^session_id +${done}\n`));
      expect(text.stdout).toMatch(/\nstatus +finished\n/);
      expect(text.stdout).toMatch(/\nhostname +-\n/);
      const json = JSON.parse((await caracal(['session', 'get', busy, '--json'])).stdout) as Row;
      expect(json).toEqual(((await server.call('GET', `/sessions/${busy}`, server.tokens.one)).session as Row));
    });

    it("reports an unknown session and another application's session alike: not_found, exit 1", async () => {
      for (const id of [UNKNOWN, foreign]) {
        const missing = await caracal(['session', 'get', id]);
        expect(missing.code).toBe(1);
        expect(missing.stdout).toBe('');
        expect(missing.stderr).toMatch(new RegExp(`^not_found: .*${REQUEST_ID.source}`));
      }
      expect(await caracal(['session', 'get', '../admin'])).toMatchObject({ code: 2, stdout: '' });
    });
  });

  describe('session events', () => {
    it('prints the timeline in server order as a table; --json prints every event as the server has it', async () => {
      const expected = await serverEvents(done);
      const table = await caracal(['session', 'events', done]);
      expect(table).toMatchObject({ code: 0, stderr: '' });
      const [header, ...body] = rows(table.stdout);
      expect(header).toEqual(['id', 'timestamp', 'source', 'event_type', 'summary']);
      expect(body.map((row) => row[0])).toEqual(expected.map((event) => String(event.id)));
      const pre = body.find((row) => row[3] === 'pre_tool')!;
      expect(pre.slice(2)).toEqual(['agent', 'pre_tool', 'run=run-1 tool=search']);
      expect(body.find((row) => row[3] === 'result')![4]).toBe('run=run-1 result="all done"');
      const json = JSON.parse((await caracal(['session', 'events', done, '--json'])).stdout) as Row[];
      expect(json).toEqual(expected);
    });

    it('passes --type, --source and --since to the server, and stops at --limit', async () => {
      const tools = JSON.parse((await caracal(['session', 'events', done, '--type', 'pre_tool,post_tool', '--json'])).stdout) as Row[];
      expect(tools.map((event) => event.event_type)).toEqual(['pre_tool', 'post_tool']);
      const agentOnly = JSON.parse((await caracal(['session', 'events', done, '--source', 'agent', '--json'])).stdout) as Row[];
      expect(new Set(agentOnly.map((event) => event.source))).toEqual(new Set(['agent']));
      const future = JSON.parse((await caracal(['session', 'events', done, '--since', '2999-01-01T00:00:00.000Z', '--json'])).stdout) as Row[];
      expect(future).toEqual([]);
      const first = JSON.parse((await caracal(['session', 'events', done, '--limit', '2', '--json'])).stdout) as Row[];
      expect(first).toEqual((await serverEvents(done)).slice(0, 2));
      const bad = await caracal(['session', 'events', done, '--since', 'yesterday']);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toMatch(/^invalid_request: /);
      expect(await caracal(['session', 'events', done, '--limit', '0'])).toMatchObject({ code: 2, stdout: '' });
    });

    it('follows next_cursor past a full page', async () => {
      const many = String(((await server.call('POST', '/sessions', server.tokens.one, {})).session as Row).session_id);
      const batch = (from: number, count: number): Row[] => Array.from({ length: count }, (_, index) => ({ event_type: 'note', reason: `n${from + index}` }));
      await server.call('POST', `/sessions/${many}/events`, server.tokens.one, batch(0, 500));
      await server.call('POST', `/sessions/${many}/events`, server.tokens.one, batch(500, 20));
      const json = JSON.parse((await caracal(['session', 'events', many, '--type', 'note', '--json'])).stdout) as Row[];
      expect(json.map((event) => event.reason)).toEqual(batch(0, 520).map((event) => event.reason));
      const capped = JSON.parse((await caracal(['session', 'events', many, '--type', 'note', '--limit', '505', '--json'])).stdout) as Row[];
      expect(capped).toHaveLength(505);
    });

    it("refuses another application's session as not found", async () => {
      const refused = await caracal(['session', 'events', foreign]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(new RegExp(`^not_found: .*${REQUEST_ID.source}`));
    });
  });

  describe('session result', () => {
    it('prints result_text and result_data; --json prints the answer', async () => {
      const text = await caracal(['session', 'result', done]);
      expect(text).toMatchObject({ code: 0, stdout: 'result_text  all done\nresult_data  {"pages":2}\n', stderr: '' });
      expect(JSON.parse((await caracal(['session', 'result', done, '--json'])).stdout)).toEqual({ result_text: 'all done', result_data: { pages: 2 } });
    });

    it('reports a run that has not finished, and an unknown session', async () => {
      const running = await caracal(['session', 'result', busy]);
      expect(running.code).toBe(1);
      expect(running.stderr).toMatch(new RegExp(`^run_not_finished: .*${REQUEST_ID.source}`));
      expect((await caracal(['session', 'result', UNKNOWN])).stderr).toMatch(/^not_found: /);
    });
  });

  describe('session delete', () => {
    it('refuses a running session (session_active, exit 1) and deletes a finished one with its events', async () => {
      const active = await caracal(['session', 'delete', busy]);
      expect(active.code).toBe(1);
      expect(active.stderr).toMatch(new RegExp(`^session_active: .*${REQUEST_ID.source}`));
      const doomed = String(((await server.call('POST', '/sessions', server.tokens.one, {})).session as Row).session_id);
      await server.call('POST', `/sessions/${doomed}/events`, server.tokens.one, [{ event_type: 'run_start' }, { event_type: 'run_failed', error: 'boom' }]);
      const events = (await serverEvents(doomed)).length;
      const deleted = await caracal(['session', 'delete', doomed]);
      expect(deleted).toMatchObject({ code: 0, stdout: `deleted ${doomed} (1 sessions, ${events} events)\n`, stderr: '' });
      expect((await caracal(['session', 'get', doomed])).stderr).toMatch(/^not_found: /);
      expect((await caracal(['session', 'delete', doomed])).stderr).toMatch(/^not_found: /);
    });

    it("prints the server's answer with --json, and cannot delete another application's session", async () => {
      const doomed = String(((await server.call('POST', '/sessions', server.tokens.one, {})).session as Row).session_id);
      expect(JSON.parse((await caracal(['session', 'delete', doomed, '--json'])).stdout)).toMatchObject({ ok: true, session_id: doomed, deleted_sessions: [doomed] });
      const refused = await caracal(['session', 'delete', foreign]);
      expect(refused).toMatchObject({ code: 1, stdout: '' });
      expect(refused.stderr).toMatch(/^not_found: /);
      expect(((await server.call('GET', `/sessions/${foreign}`, server.tokens.two)).session as Row).session_id).toBe(foreign);
    });
  });

  describe('session events --follow', () => {
    const follow = (argv: string[], url = server.url, token = server.tokens.one) => {
      const io = watchedIo({ CARACAL_COORDINATOR_URL: url, CARACAL_COORDINATOR_TOKEN: token });
      return { io, exit: run(['session', 'events', ...argv, '--follow'], io) };
    };
    const post = (id: string, body: Row): Promise<Row> => server.call('POST', `/sessions/${id}/events`, server.tokens.one, body);
    const newRunning = async (): Promise<string> => {
      const id = String(((await server.call('POST', '/sessions', server.tokens.one, {})).session as Row).session_id);
      await post(id, { event_type: 'run_start', run_id: 'r1' });
      return id;
    };

    it('prints the timeline so far, then each event appended while it runs, one line each; Ctrl-C exits 0', async () => {
      const id = await newRunning();
      const { io, exit } = follow([id]);
      await io.stdoutMatches((out) => out.includes('  run_start  run=r1\n'));
      await post(id, { event_type: 'pre_tool', run_id: 'r1', tool_name: 'fetch' });
      await io.stdoutMatches((out) => out.includes('  pre_tool  run=r1 tool=fetch\n'));
      await post(id, { event_type: 'note', reason: 'two\nlines' });
      await io.stdoutMatches((out) => out.includes('  note  reason="two\\nlines"\n'));
      io.interrupt();
      expect(await exit).toBe(0);
      const lines = io.out().trimEnd().split('\n');
      const expected = await serverEvents(id);
      expect(lines.map((line) => Number(line.split('  ')[1]))).toEqual(expected.map((event) => event.id));
      expect(io.err()).toBe('');
    });

    it('with --json prints one event object per line, filtered like the history', async () => {
      const id = await newRunning();
      const { io, exit } = follow([id, '--json', '--source', 'agent', '--type', 'run_start,post_tool']);
      await io.stdoutMatches((out) => out.includes('"run_start"'));
      await post(id, { event_type: 'pre_tool', tool_name: 'fetch' });
      await post(id, { event_type: 'post_tool', tool_name: 'fetch', tool_output: 'ok' });
      await io.stdoutMatches((out) => out.includes('"post_tool"'));
      io.interrupt();
      expect(await exit).toBe(0);
      const printed = io.out().trimEnd().split('\n').map((line) => JSON.parse(line) as Row);
      const expected = (await serverEvents(id)).filter((event) => event.event_type === 'run_start' || event.event_type === 'post_tool');
      expect(printed).toEqual(expected);
    });

    it('resumes with Last-Event-ID after the connection drops: an event appended meanwhile is printed once', async () => {
      const id = await newRunning();
      const proxy = await startProxy(server.url);
      try {
        const { io, exit } = follow([id, '--json'], proxy.url);
        await io.stdoutMatches((out) => out.includes('"run_start"'));
        await post(id, { event_type: 'before_drop' });
        await io.stdoutMatches((out) => out.includes('"before_drop"'));
        proxy.hold();
        proxy.dropAll();
        await io.stderrMatches((err) => err.includes('feed connection lost'));
        await post(id, { event_type: 'while_down' });
        proxy.release();
        await io.stdoutMatches((out) => out.includes('"while_down"'));
        await post(id, { event_type: 'after_resume' });
        await io.stdoutMatches((out) => out.includes('"after_resume"'));
        io.interrupt();
        expect(await exit).toBe(0);
        const printed = io.out().trimEnd().split('\n').map((line) => (JSON.parse(line) as Row).id);
        expect(printed).toEqual((await serverEvents(id)).map((event) => event.id));
      } finally {
        await proxy.close();
      }
    });

    it("refuses another application's session and an unknown one as not found, exit 1", async () => {
      for (const id of [foreign, UNKNOWN]) {
        const { io, exit } = follow([id]);
        expect(await exit).toBe(1);
        expect(io.err()).toMatch(new RegExp(`^not_found: .*${REQUEST_ID.source}`));
      }
    });
  });
});

/**
 * A TCP proxy to the server whose connections the test can cut, and which can hold new ones back
 * (so an event is appended while the follower is certainly disconnected).
 */
async function startProxy(target: string): Promise<{ url: string; hold(): void; release(): void; dropAll(): void; close(): Promise<void> }> {
  const { hostname, port } = new URL(target);
  const { connect } = await import('node:net');
  const open = new Set<Socket>();
  let held: Socket[] | undefined;
  const pipe = (client: Socket): void => {
    const upstream = connect(Number(port), hostname);
    for (const socket of [client, upstream]) {
      open.add(socket);
      socket.on('error', () => {});
      socket.on('close', () => open.delete(socket));
    }
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  };
  const proxy: Server = createServer((client) => {
    client.on('error', () => {});
    if (held !== undefined) held.push(client);
    else pipe(client);
  });
  proxy.listen(0, '127.0.0.1');
  await once(proxy, 'listening');
  return {
    url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    hold: () => (held ??= []),
    release: () => {
      const waiting = held ?? [];
      held = undefined;
      for (const client of waiting) pipe(client);
    },
    dropAll: () => {
      for (const socket of open) socket.destroy();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        proxy.close(() => resolve());
      }),
  };
}
