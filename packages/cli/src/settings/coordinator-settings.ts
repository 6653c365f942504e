import { CliError } from '../errors.ts';
import { urlAndBearer } from './required-settings.ts';
import { readZoneClaim } from './zone-claim.ts';

/** Where and as whom the `agent` and `delegation` commands talk to the Coordinator. */
export interface CoordinatorSettings {
  url: string;
  token: string;
  zoneId: string;
}

/**
 * Exact texts, listed in docs/cli.md; scripts and runbooks may match on them
 * (docs/decisions/2026-12-04-cli-operator-texts.md).
 */
export const MISSING_COORDINATOR_URL = 'coordinator URL not set — export CARACAL_COORDINATOR_URL';
export const MISSING_COORDINATOR_TOKEN = 'coordinator token not set — export CARACAL_COORDINATOR_TOKEN';
export const MISSING_ZONE = 'zone not set — pass --zone <id>, export CARACAL_ZONE_ID, or use a token with a zone_id claim';

/**
 * Resolves the Coordinator settings from the environment. When both variables are missing both
 * lines are reported at once, so one attempt shows everything to fix. The zone comes from
 * `--zone`, then CARACAL_ZONE_ID, then the token's `zone_id` claim.
 */
export function resolveCoordinatorSettings(
  env: Readonly<Record<string, string | undefined>>,
  options: { zone?: string | undefined },
): CoordinatorSettings {
  const { url, token } = coordinatorUrlAndToken(env);
  const zoneId = nonEmpty(options.zone) ?? nonEmpty(env.CARACAL_ZONE_ID) ?? readZoneClaim(token);
  if (zoneId === undefined) throw new CliError('missing_setting', MISSING_ZONE);
  return { url, token, zoneId };
}

/** CARACAL_COORDINATOR_URL and CARACAL_COORDINATOR_TOKEN, both required (the `session` commands need no zone). */
export function coordinatorUrlAndToken(env: Readonly<Record<string, string | undefined>>): { url: string; token: string } {
  const { url, bearer } = urlAndBearer(
    { value: nonEmpty(env.CARACAL_COORDINATOR_URL), missing: MISSING_COORDINATOR_URL, source: 'CARACAL_COORDINATOR_URL' },
    { value: nonEmpty(env.CARACAL_COORDINATOR_TOKEN), missing: MISSING_COORDINATOR_TOKEN },
  );
  return { url, token: bearer };
}

/** Empty variables count as unset: `export X=` is a common way to clear one. */
export function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
