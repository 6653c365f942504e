import type { TokenProvider } from './auth/token-provider.ts';
import type { ResolvedConfig } from './config/resolve-config.ts';
import type { TimelineReporter } from './timeline/timeline-reporter.ts';

/**
 * What other SDK modules (the runner) need from a `Caracal` client beyond its public methods: its
 * resolved settings, its session mandate source and its timeline queue. Kept off the class so none
 * of it becomes public API.
 * @internal
 */
export interface ClientInternals {
  readonly config: ResolvedConfig;
  readonly sessionToken: TokenProvider;
  readonly reporter: TimelineReporter;
}

const internals = new WeakMap<object, ClientInternals>();

/** @internal */
export function registerClientInternals(client: object, value: ClientInternals): void {
  internals.set(client, value);
}

/** @internal The internals of a client this copy of the SDK created; undefined for anything else. */
export function clientInternals(client: object): ClientInternals | undefined {
  return internals.get(client);
}
