import type { ExchangedMandate, ExchangeOptions } from './auth/exchanged-mandate.ts';
import { Caracal } from './caracal.ts';
import type { CaracalOptions } from './config/caracal-options.ts';
import type { CaracalContext } from './model/caracal-context.ts';
import { requireContext } from './context/current.ts';
import { outboundHeaders } from './context/outbound-headers.ts';
import type { DelegateOptions, SpawnOptions } from './context/spawn-options.ts';
import type { TimelineEvent } from './timeline/timeline-event.ts';
import type { SessionTimeline, TimelineResult } from './timeline/session-timeline.ts';
import type { TimelineStats } from './timeline/timeline-options.ts';

let defaultClient: Caracal | undefined;

/**
 * Sets the client that the module-level `spawn`, `delegate`, `exchange` and `headers` use.
 * Without it, the first call builds one with `Caracal.fromEnv()`. The previous client is not
 * closed (it may still be in use); close it yourself.
 * @returns the client now in use.
 * @example
 * configure({ coordinatorUrl, zoneId: 'zone_dev', clientId: 'app_orchestrator', clientSecret });
 * @since 0.1.0
 */
export function configure(options: CaracalOptions | Caracal): Caracal {
  defaultClient = options instanceof Caracal ? options : new Caracal(options);
  return defaultClient;
}

/**
 * The client the module-level functions use, built from the environment on first use.
 * @throws CaracalError `CONFIG_INVALID` naming every missing environment variable.
 * @example
 * await defaultCaracal().close();
 * @since 0.1.0
 */
export function defaultCaracal(): Caracal {
  defaultClient ??= Caracal.fromEnv();
  return defaultClient;
}

/**
 * `spawn()` on the default client. See {@link Caracal.spawn}.
 * @example
 * await spawn({ kind: 'ephemeral' }, async () => runAgent());
 * @since 0.1.0
 */
export function spawn<R>(options: SpawnOptions, fn: (context: CaracalContext) => R | PromiseLike<R>): Promise<R> {
  try {
    return defaultCaracal().spawn(options, fn);
  } catch (error) {
    return Promise.reject(error);
  }
}

/**
 * `delegate()` on the default client. See {@link Caracal.delegate}.
 * @example
 * await delegate({ to: workerSessionId, scopes: ['tools:call'] }, runWorker);
 * @since 0.1.0
 */
export function delegate<R>(options: DelegateOptions, fn: (context: CaracalContext) => R | PromiseLike<R>): Promise<R> {
  try {
    // The context check comes first, so outside a context the error is NO_ACTIVE_CONTEXT even
    // when no default client could be configured.
    requireContext();
    return defaultCaracal().delegate(options, fn);
  } catch (error) {
    return Promise.reject(error);
  }
}

/**
 * `exchange()` on the default client. See {@link Caracal.exchange}.
 * @example
 * const { accessToken } = await exchange({ resource: 'mcp://tools.local' });
 * @since 0.1.0
 */
export function exchange(options: ExchangeOptions): Promise<ExchangedMandate> {
  try {
    requireContext();
    return defaultCaracal().exchange(options);
  } catch (error) {
    return Promise.reject(error);
  }
}

/**
 * The outbound headers for the current context (`authorization`, `traceparent`, `baggage`,
 * `tracestate` when present); needs no client. Fails closed outside a context.
 * @example
 * const outbound = headers();
 * @since 0.1.0
 */
export function headers(): Record<string, string> {
  return outboundHeaders(requireContext());
}

/**
 * `timeline` of the default client: record events and the result on the current session. See
 * {@link Caracal.timeline}.
 * @example
 * await spawn({ kind: 'ephemeral' }, async () => {
 *   timeline.record({ event_type: 'message', role: 'assistant', content: [{ type: 'text', text: 'Working.' }] });
 *   timeline.result({ result_text: 'done' });
 * });
 * @since 0.1.0
 */
export const timeline: SessionTimeline = Object.freeze({
  record(event: TimelineEvent): boolean {
    // Outside a context the error is NO_ACTIVE_CONTEXT even when no default client could be configured.
    requireContext();
    return defaultCaracal().timeline.record(event);
  },
  result(result: TimelineResult): boolean {
    requireContext();
    return defaultCaracal().timeline.result(result);
  },
  stats: (): TimelineStats => defaultCaracal().timeline.stats(),
  flush: (): Promise<void> => defaultCaracal().timeline.flush(),
});
