import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeVersionProblem, OLD_NODE_EXIT_CODE } from '../../packages/cli/src/node-version.ts';
import { assertBuiltCli, CLI_BIN, cleanEnv, collect } from './helpers/built-cli.ts';

/** The machine's own node, which the repo's toolchain leaves alone; Node 20 on these machines. */
const MACHINE_NODE = '/usr/bin/node';
const machineVersion = existsSync(MACHINE_NODE) ? execFileSync(MACHINE_NODE, ['-p', 'process.versions.node'], { encoding: 'utf8' }).trim() : undefined;
const machineNodeIsOld = machineVersion !== undefined && Number(machineVersion.split('.')[0]) < 22;

beforeAll(() => {
  assertBuiltCli();
});

describe('the built caracal binary on Node older than 22', () => {
  it('prints one line naming the required version and exits 3', async () => {
    if (!machineNodeIsOld) {
      // No older Node on this machine: the check the binary runs first still answers the same.
      expect(nodeVersionProblem('20.20.2')).toBe('caracal needs Node.js 22 or newer (this is Node.js 20.20.2)');
      expect(OLD_NODE_EXIT_CODE).toBe(3);
      return;
    }
    for (const args of [['agent', 'list'], ['--help']]) {
      const result = await collect(spawn(MACHINE_NODE, [CLI_BIN, ...args], { env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] }));
      expect(result, args.join(' ')).toEqual({ code: 3, signal: null, stdout: '', stderr: `caracal needs Node.js 22 or newer (this is Node.js ${machineVersion})\n` });
    }
  });
});
