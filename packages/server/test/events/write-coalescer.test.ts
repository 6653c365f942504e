import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createWriteCoalescer, type Corkable } from '../../src/events/write-coalescer.ts';

/** A target that logs its corks and the writes made while corked. */
function recordingTarget(name: string, log: string[]): Corkable & { write(text: string): void } {
  let corked = 0;
  return {
    cork: () => {
      corked += 1;
      log.push(`${name} cork`);
    },
    uncork: () => {
      corked -= 1;
      log.push(`${name} uncork`);
    },
    write: (text) => log.push(`${name} ${text}${corked > 0 ? ' (corked)' : ''}`),
  };
}

describe('the write coalescer', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("sends each target's writes of one window together, corked, in the order they were made", () => {
    const log: string[] = [];
    const coalescer = createWriteCoalescer(10);
    const a = recordingTarget('a', log);
    const b = recordingTarget('b', log);
    coalescer.write(a, () => a.write('1'));
    coalescer.write(b, () => b.write('1'));
    coalescer.write(a, () => a.write('2'));
    vi.advanceTimersByTime(9);
    expect(log).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(log).toEqual(['a cork', 'a 1 (corked)', 'a 2 (corked)', 'a uncork', 'b cork', 'b 1 (corked)', 'b uncork']);
    // A write after the window opens the next one.
    coalescer.write(a, () => a.write('3'));
    vi.advanceTimersByTime(10);
    expect(log.slice(7)).toEqual(['a cork', 'a 3 (corked)', 'a uncork']);
  });

  it('flushes at once on demand, reports a failing write and still makes the others, and writes directly with a window of 0', () => {
    const log: string[] = [];
    const errors: unknown[] = [];
    const coalescer = createWriteCoalescer(10, (error) => errors.push(error));
    const a = recordingTarget('a', log);
    coalescer.write(a, () => {
      throw new Error('gone');
    });
    coalescer.write(a, () => a.write('after'));
    coalescer.flush();
    expect(errors).toEqual([new Error('gone')]);
    expect(log).toEqual(['a cork', 'a after (corked)', 'a uncork']);
    const direct = createWriteCoalescer(0);
    direct.write(a, () => a.write('now'));
    expect(log.at(-1)).toBe('a now');
  });
});
