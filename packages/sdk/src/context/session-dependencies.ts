import type { TokenProvider } from '../auth/token-provider.ts';
import type { CoordinatorClient } from '../http/coordinator-client.ts';
import type { CleanupErrorEvent } from './cleanup-error.ts';

/** What `spawn()` and `delegate()` need from a client. @internal */
export interface SessionDependencies {
  readonly coordinator: CoordinatorClient;
  readonly zoneId: string;
  readonly clientId: string;
  /** The client's session mandate, which becomes the context's `subjectToken`. */
  readonly sessionToken: TokenProvider;
  readonly onCleanupError?: ((event: CleanupErrorEvent) => void) | undefined;
}
