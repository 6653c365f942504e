import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const host = fileURLToPath(new URL('./fixtures/naive-web-stream-host.ts', import.meta.url));

/** Runs the naive host in its own process: a crash there is an exit code here, not a test-runner error. */
async function runHost(contentType: string): Promise<{ received: string }> {
  const { stdout } = await promisify(execFile)(process.execPath, [host, contentType], { cwd: fileURLToPath(new URL('.', import.meta.url)) });
  return JSON.parse(stdout) as { received: string };
}

describe('a guarded web stream cut by a revocation, piped naively with Readable.fromWeb(body).pipe(res)', () => {
  it('ends an event stream with a caracal.revoked event, and the host keeps running', async () => {
    const { received } = await runHost('text/event-stream');
    expect(received).toMatch(/^data: one\n\nevent: caracal\.revoked\ndata: \{.*"revoked":"agentsess_naive".*\}\n\n$/);
  });

  it('ends any other body early, and the host keeps running', async () => {
    expect(await runHost('application/json')).toEqual({ received: 'data: one\n\n' });
  });
});
