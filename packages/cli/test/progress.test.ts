import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PROGRESS_DELAY_MS, withProgress } from '../src/progress.ts';
import { fakeIo } from './helpers/fake-io.ts';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/** Work the test finishes by hand, so time is the only thing that moves. */
function pending(): { promise: Promise<string>; finish(): void } {
  let finish = (): void => {};
  const promise = new Promise<string>((resolve) => {
    finish = () => resolve('done');
  });
  return { promise, finish };
}

describe('withProgress', () => {
  it('shows nothing for quick work', async () => {
    const io = fakeIo({ stderrIsTTY: true });
    const work = pending();
    const result = withProgress(io, 'listing…', () => work.promise);
    await vi.advanceTimersByTimeAsync(PROGRESS_DELAY_MS - 1);
    work.finish();
    expect(await result).toBe('done');
    expect(io.err()).toBe('');
  });

  it('spins on stderr for slow work and erases the line when done', async () => {
    const io = fakeIo({ stderrIsTTY: true });
    const work = pending();
    const result = withProgress(io, 'listing…', () => work.promise);
    await vi.advanceTimersByTimeAsync(PROGRESS_DELAY_MS + 200);
    expect(io.err()).toContain('⠋ listing…');
    expect(io.err()).toContain('⠙ listing…');
    work.finish();
    await result;
    expect(io.err().endsWith('\r\u001B[2K')).toBe(true);
    expect(io.out()).toBe('');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('never spins when stderr is not a terminal', async () => {
    const io = fakeIo({ stderrIsTTY: false });
    const work = pending();
    const result = withProgress(io, 'listing…', () => work.promise);
    await vi.advanceTimersByTimeAsync(5_000);
    work.finish();
    await result;
    expect(io.err()).toBe('');
  });

  it('stops spinning when the work fails', async () => {
    const io = fakeIo({ stderrIsTTY: true });
    const result = withProgress(io, 'listing…', () => Promise.reject(new Error('boom')));
    await expect(result).rejects.toThrow('boom');
    expect(vi.getTimerCount()).toBe(0);
  });
});
