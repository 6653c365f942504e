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
