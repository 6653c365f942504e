import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { sessionMandate } from './helpers/agent-graph.ts';
import { CLI_BIN, cleanEnv, collect } from './helpers/built-cli.ts';
import { useOperatorServer } from './helpers/operator.ts';
import { postJson } from './helpers/real-server.ts';

const { server } = useOperatorServer();

describe('the built caracal binary: session events --follow', () => {
  it('prints events appended while it runs and exits 0 on Ctrl-C (SIGINT)', async () => {
    const mandate = await sessionMandate(server());
    const created = (await postJson(`${server().url}/sessions`, mandate, { agent_name: 'tail-me' })).session as { session_id: string };
    const id = created.session_id;
    await postJson(`${server().url}/sessions/${id}/events`, mandate, { event_type: 'run_start', run_id: 'r1' });
    const child = spawn(process.execPath, [CLI_BIN, 'session', 'events', id, '--follow'], {
      env: cleanEnv({ CARACAL_COORDINATOR_URL: server().url, CARACAL_COORDINATOR_TOKEN: mandate }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const done = collect(child);
    let stdout = '';
    const printed = (text: string): Promise<void> =>
      new Promise((resolve) => {
        const check = (): void => {
          if (!stdout.includes(text)) return;
          child.stdout.off('data', onData);
          resolve();
        };
        const onData = (chunk: Buffer): void => {
          stdout += chunk.toString('utf8');
          check();
        };
        child.stdout.on('data', onData);
        check();
      });
    await printed('  run_start  run=r1\n');
    await postJson(`${server().url}/sessions/${id}/events`, mandate, { event_type: 'post_tool', run_id: 'r1', tool_name: 'search' });
    await printed('  post_tool  run=r1 tool=search\n');
    child.kill('SIGINT');
    const result = await done;
    expect(result).toMatchObject({ code: 0, signal: null, stderr: '' });
  });
});
