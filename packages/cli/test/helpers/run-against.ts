import { expect } from 'vitest';
import { run } from '../../src/run.ts';
import { fakeIo, type RecordingIo } from './fake-io.ts';
import type { FakeCoordinator } from './fake-coordinator.ts';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  io: RecordingIo;
}

/** Runs `caracal …` in-process against the fake, with the operator settings exported. */
export async function runAgainst(
  coordinator: FakeCoordinator,
  argv: string[],
  options: { env?: Record<string, string | undefined>; isTTY?: boolean } = {},
): Promise<RunResult> {
  const io = fakeIo({
    env: {
      CARACAL_COORDINATOR_URL: coordinator.url,
      CARACAL_COORDINATOR_TOKEN: coordinator.token,
      CARACAL_ZONE_ID: coordinator.zoneId,
      CARACAL_ADMIN_TOKEN: coordinator.adminToken,
      ...options.env,
    },
    ...(options.isTTY === undefined ? {} : { isTTY: options.isTTY }),
  });
  const code = await run(argv, io);
  return { code, stdout: io.out(), stderr: io.err(), io };
}

/** Runs `argv`, expects exit 0 with exactly `stdout` and nothing on stderr, and `request` as the last one the fake received. */
export async function expectActionPrints(coordinator: FakeCoordinator, argv: string[], stdout: string, request: { method: string; path: string }): Promise<void> {
  const result = await runAgainst(coordinator, argv);
  expect(result).toMatchObject({ code: 0, stdout, stderr: '' });
  expect(coordinator.requests.at(-1)).toMatchObject(request);
}
