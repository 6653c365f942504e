import { parseBaseUrl } from './base-url.ts';
import { MISSING_COORDINATOR_TOKEN, MISSING_COORDINATOR_URL, nonEmpty } from './coordinator-settings.ts';
import { requiredSettings } from './required-settings.ts';

/** Where and as whom the `session` commands call the session routes (docs/sessions.md); the zone is the token's own. */
export interface SessionSettings {
  url: string;
  token: string;
}

/** The Coordinator URL and token, with the same texts as the agent commands when missing. */
export function resolveSessionSettings(env: Readonly<Record<string, string | undefined>>): SessionSettings {
  const { url, token } = requiredSettings({
    url: { value: nonEmpty(env.CARACAL_COORDINATOR_URL), missing: MISSING_COORDINATOR_URL },
    token: { value: nonEmpty(env.CARACAL_COORDINATOR_TOKEN), missing: MISSING_COORDINATOR_TOKEN },
  });
  return { url: parseBaseUrl(url, 'CARACAL_COORDINATOR_URL'), token };
}
