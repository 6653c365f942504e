import { coordinatorUrlAndToken } from './coordinator-settings.ts';

/** Where and as whom the `session` commands call the session routes (docs/sessions.md); the zone is the token's own. */
export interface SessionSettings {
  url: string;
  token: string;
}

/** The Coordinator URL and token, with the same texts as the agent commands when missing. */
export function resolveSessionSettings(env: Readonly<Record<string, string | undefined>>): SessionSettings {
  return coordinatorUrlAndToken(env);
}
