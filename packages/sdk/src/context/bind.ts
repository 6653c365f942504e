import type { CaracalContext } from '../model/caracal-context.ts';
import { contextStorage } from './storage.ts';
import { freezeContext } from './validate-context.ts';

/**
 * Runs `fn` with `context` bound for everything it does, awaited work at any depth included, and
 * returns what `fn` returns. The binding ends with `fn`'s async call chain; the caller's own
 * context is untouched (this uses `AsyncLocalStorage.run`, never `enterWith`).
 * @param context - validated and frozen first; a hop past 32 throws `HOP_LIMIT_EXCEEDED`.
 * @example
 * await bind(receivedContext, async (context) => handle(request, context));
 * @since 0.1.0
 */
export function bind<R>(context: CaracalContext, fn: (context: CaracalContext) => R): R {
  const frozen = freezeContext(context);
  return contextStorage().run(frozen, fn, frozen);
}
