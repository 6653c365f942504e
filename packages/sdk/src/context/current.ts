import { CaracalError } from '../errors.ts';
import type { CaracalContext } from '../model/caracal-context.ts';
import { contextStorage } from './storage.ts';

/**
 * The context bound to the running async call chain, or `undefined` outside one.
 * @example
 * const context = current();
 * if (context) log.info({ session: context.agentSessionId });
 * @since 0.1.0
 */
export function current(): CaracalContext | undefined {
  return contextStorage().getStore();
}

/**
 * The bound context, or a `NO_ACTIVE_CONTEXT` error. Code that needs authority calls this so it
 * fails closed: it never borrows some other request's context.
 * @example
 * const { agentSessionId } = requireContext();
 * @since 0.1.0
 */
export function requireContext(): CaracalContext {
  const context = contextStorage().getStore();
  if (context === undefined) {
    throw new CaracalError(
      'NO_ACTIVE_CONTEXT',
      'No Caracal context is active. Call this inside spawn(), delegate() or bind(); callbacks that lose the context (event listeners, pools, queues) can re-enter it with captureContext().',
    );
  }
  return context;
}
