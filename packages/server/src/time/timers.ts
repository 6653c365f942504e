/**
 * How the server's background loops wait: injected, so tests drive every wait (poll intervals,
 * backoffs, reconnects) without sleeping. `systemTimers` is the real one, chosen at the edge.
 */
export interface Timers {
  /** Calls `callback` once after `ms`; the returned function cancels it if it has not run. */
  schedule(callback: () => void, ms: number): () => void;
}

/** `setTimeout`, unref'd: a background wait never keeps the process alive on its own. */
export const systemTimers: Timers = Object.freeze({
  schedule(callback: () => void, ms: number): () => void {
    const timer = setTimeout(callback, ms);
    timer.unref();
    return () => clearTimeout(timer);
  },
});
