/**
 * Postgres ended the session (`pg_terminate_backend`: 57P01 admin_shutdown; another backend
 * crashed: 57P02 crash_shutdown). The backend stops at an interrupt check, which never falls
 * between a commit and its answer, so the statement or transaction it was running was rolled back.
 */
export function isSessionEndedByServer(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return code === '57P01' || code === '57P02';
}

/** Attempts in all for work whose connection was ended under it (the first one included). */
export const ENDED_SESSION_ATTEMPTS = 3;

/**
 * Runs `attempt` again while it fails in a way `retryable` says committed nothing, at most
 * `ENDED_SESSION_ATTEMPTS` times. Each retry waits for the event loop's next turn: pooled
 * connections ended at the same moment have then reported it and left the pool, so the retry
 * gets a live one.
 */
export async function retryingEndedSessions<T>(attempt: () => Promise<T>, retryable: (error: unknown) => boolean): Promise<T> {
  for (let count = 1; ; count += 1) {
    try {
      return await attempt();
    } catch (error) {
      if (count >= ENDED_SESSION_ATTEMPTS || !retryable(error)) throw error;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}
