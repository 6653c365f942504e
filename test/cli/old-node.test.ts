import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuiltCli, CLI_BIN, cleanEnv, collect } from './helpers/built-cli.ts';

/** The machine's own node, which the repo's toolchain leaves alone; Node 20 on these machines. */
const MACHINE_NODE = '/usr/bin/node';
const machineVersion = existsSync(MACHINE_NODE) ? execFileSync(MACHINE_NODE, ['-p', 'process.versions.node'], { encoding: 'utf8' }).trim() : undefined;
const machineNodeIsOld = machineVersion !== undefined && Number(machineVersion.split('.')[0]) < 22;
const FAKE_OLD_NODE = 'data:text/javascript,Object.defineProperty(process.versions, "node", { value: "20.20.2" })';

beforeAll(() => {
  assertBuiltCli();
});

describe('the built caracal binary on Node older than 22', () => {
  it('prints one line naming the required version and exits 3', async () => {
    // Without an older Node on this machine, the current one reports 20.20.2 to the built binary.
    const run = machineNodeIsOld
      ? { node: MACHINE_NODE, preload: [], version: machineVersion }
      : { node: process.execPath, preload: ['--import', FAKE_OLD_NODE], version: '20.20.2' };
    for (const args of [['agent', 'list'], ['--help']]) {
      const result = await collect(spawn(run.node, [...run.preload, CLI_BIN, ...args], { env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] }));
      expect(result, args.join(' ')).toEqual({ code: 3, signal: null, stdout: '', stderr: `caracal needs Node.js 22 or newer (this is Node.js ${run.version})\n` });
    }
  });
});
