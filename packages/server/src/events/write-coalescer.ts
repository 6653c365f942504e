/** Something that holds writes back while corked and sends them in one go on uncork. */
export interface Corkable {
  cork(): void;
  uncork(): void;
}

export interface WriteCoalescer {
  /** Runs `write` within the current window, on `target` corked with the window's other writes to it. */
  write(target: Corkable, write: () => void): void;
  /** Runs every pending write now (shutdown, tests). */
  flush(): void;
}

/**
 * Groups the writes to each socket within a short window into one system call. With hundreds of
 * dashboards on one feed, one write per message per client is what costs (measured: most of the
 * server's CPU was `writev`); a window of a few milliseconds turns each client's messages of that
 * window into one. One timer serves every socket; a window opens with its first write.
 */
export function createWriteCoalescer(windowMs: number, onError: (error: unknown) => void = () => {}): WriteCoalescer {
  let pending = new Map<Corkable, Array<() => void>>();
  let timer: NodeJS.Timeout | undefined;
  const flush = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    const due = pending;
    pending = new Map();
    for (const [target, writes] of due) {
      target.cork();
      // One failing write (a client gone mid-window) must not cost the others theirs.
      for (const write of writes) {
        try {
          write();
        } catch (error) {
          onError(error);
        }
      }
      target.uncork();
    }
  };
  return {
    write(target, write) {
      if (windowMs <= 0) {
        write();
        return;
      }
      let writes = pending.get(target);
      if (writes === undefined) {
        writes = [];
        pending.set(target, writes);
      }
      writes.push(write);
      timer ??= setTimeout(flush, windowMs);
    },
    flush,
  };
}
