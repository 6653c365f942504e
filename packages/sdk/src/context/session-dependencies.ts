import type { TokenProvider } from '../auth/token-provider.ts';
import type { CoordinatorClient } from '../http/coordinator-client.ts';
import type { TimelineReporter } from '../timeline/timeline-reporter.ts';
import type { Clock } from '../time/clock.ts';
import type { CleanupErrorEvent } from './cleanup-error.ts';

/** What `spawn()` and `delegate()` need from a client. @internal */
export interface SessionDependencies {
  readonly coordinator: CoordinatorClient;
  readonly zoneId: string;
  readonly clientId: string;
  /** The client's session mandate, which becomes the context's `subjectToken`. */
  readonly sessionToken: TokenProvider;
  readonly onCleanupError?: ((event: CleanupErrorEvent) => void) | undefined;
  /** Where the run's events go; without it `spawn` records none. */
  readonly timeline?: { readonly reporter: TimelineReporter; readonly clock: Clock } | undefined;
}
