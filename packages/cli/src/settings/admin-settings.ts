import { nonEmpty } from './coordinator-settings.ts';
import { urlAndBearer } from './required-settings.ts';

/** Where and with which bearer the bootstrap commands (`zone`, `app`, `resource`, `token`) call the admin API. */
export interface AdminSettings {
  url: string;
  adminToken: string;
}

export const MISSING_ADMIN_URL = 'coordinator URL not set — export CARACAL_COORDINATOR_URL or pass --url';
export const MISSING_ADMIN_TOKEN = 'admin token not set — export CARACAL_ADMIN_TOKEN';

/** `--url` wins over CARACAL_COORDINATOR_URL; the admin token is never taken from argv (it would show in `ps`). */
export function resolveAdminSettings(
  env: Readonly<Record<string, string | undefined>>,
  options: { url?: string | undefined },
): AdminSettings {
  const fromFlag = nonEmpty(options.url);
  const { url, bearer } = urlAndBearer(
    { value: fromFlag ?? nonEmpty(env.CARACAL_COORDINATOR_URL), missing: MISSING_ADMIN_URL, source: fromFlag === undefined ? 'CARACAL_COORDINATOR_URL' : '--url' },
    { value: nonEmpty(env.CARACAL_ADMIN_TOKEN), missing: MISSING_ADMIN_TOKEN },
  );
  return { url, adminToken: bearer };
}
