import { vi } from 'vitest';

/**
 * Polls `condition` until it holds (vi.waitFor underneath), failing after `timeoutMs` with what
 * was awaited: a bounded wait on observable state, never a sleep.
 */
export async function waitFor(condition: () => boolean | Promise<boolean>, options: { timeoutMs?: number; what?: string } = {}): Promise<void> {
  await vi.waitFor(
    async () => {
      if (!(await condition())) throw new Error(`timed out waiting for ${options.what ?? 'condition'}`);
    },
    { timeout: options.timeoutMs ?? 10_000, interval: 5 },
  );
}
