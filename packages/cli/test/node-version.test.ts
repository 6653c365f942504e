import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../src/errors.ts';
import { nodeVersionProblem, OLD_NODE_EXIT_CODE, REQUIRED_NODE_MAJOR } from '../src/node-version.ts';

describe('nodeVersionProblem', () => {
  it('names the required version in one line on an older Node', () => {
    expect(nodeVersionProblem('20.20.2')).toBe('caracal needs Node.js 22 or newer (this is Node.js 20.20.2)');
    expect(nodeVersionProblem('21.7.3')).toBe('caracal needs Node.js 22 or newer (this is Node.js 21.7.3)');
  });

  it('lets Node 22 and newer through', () => {
    for (const version of ['22.0.0', '22.12.0', '24.21.0', '30.1.0']) expect(nodeVersionProblem(version)).toBeUndefined();
  });

  it('agrees with engines.node and exits like any other missing prerequisite', () => {
    const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { engines: { node: string } };
    expect(manifest.engines.node).toBe(`>=${REQUIRED_NODE_MAJOR}`);
    expect(OLD_NODE_EXIT_CODE).toBe(ExitCode.config);
  });
});
