import type { CaracalContext } from '../model/caracal-context.ts';
import { contextStorage } from './storage.ts';

/**
 * Re-enters a captured context (or its absence) for the duration of `fn`.
 * @since 0.1.0
 */
export type ContextRunner = <R>(fn: () => R) => R;

/**
 * Captures the current context so callbacks that lose it (EventEmitter listeners, connection-pool
 * callbacks, job queues) can run inside it later. When captured outside any context, the runner
 * runs `fn` with no context at all, so a callback never inherits whichever request happens to be
 * active when it fires.
 * @example
 * const run = captureContext();
 * emitter.on('data', (chunk) => run(() => handle(chunk)));
 * @since 0.1.0
 */
export function captureContext(): ContextRunner {
  const storage = contextStorage();
  const captured: CaracalContext | undefined = storage.getStore();
  return <R>(fn: () => R): R => (captured === undefined ? storage.exit(fn) : storage.run(captured, fn));
}

/**
 * Returns `fn` bound to the current context: however and wherever it is later called, it runs
 * inside the context that was active when it was wrapped.
 * @example
 * pool.query(sql, wrapWithContext((error, rows) => reply(rows)));
 * @since 0.1.0
 */
export function wrapWithContext<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
  const run = captureContext();
  return function wrapped(this: unknown, ...args: A): R {
    return run(() => fn.apply(this, args));
  };
}
