import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, inject, it } from 'vitest';
import { childProcessOptions } from '../support/child-process-options.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const examples = readdirSync(join(root, 'examples')).filter((name) => existsSync(join(root, 'examples', name, 'run.ts'))).sort();

function run(name: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // Cheaper, same behaviour: the run's migrated template, WebAssembly unoptimised (child-process-options.ts).
    const { execArgv, env } = childProcessOptions(inject('embeddedTemplatePath'));
    const child = spawn(process.execPath, [...execArgv, join('examples', name, 'run.ts')], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('examples (each runs as `node examples/<name>/run.ts` against the built packages)', () => {
  it('has examples to run', () => {
    expect(examples).toEqual(expect.arrayContaining(['demo', 'quickstart', 'kill-switch', 'mcp-v2-server']));
  });

  it.each(examples)('%s exits 0 and prints its success line', { timeout: 90_000 }, async (name) => {
    const result = await run(name);
    expect(result.stderr).not.toMatch(/✗/);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`✓ ${name} ok`);
  });
});
