import { CaracalAdminError, createAdminClient, type AdminClient } from '@caracal/sdk/admin';
import { CliError } from '../errors.ts';
import { readZoneClaim } from '../settings/zone-claim.ts';
import { undiciFetch } from './undici-fetch.ts';

/** Where and as whom the CLI calls the Coordinator; `zoneId` only for the `/zones/{zoneId}/…` routes. */
export interface AdminCallSettings {
  url: string;
  token: string;
  zoneId?: string | undefined;
}

/**
 * Every Coordinator call of the CLI goes through `@caracal/sdk/admin`, so the CLI and the SDK send
 * the same requests (docs/cli.md). The client needs no zone for the zone-less routes (runs,
 * blueprints, timelines): a placeholder keeps it from reading a claim the token may not carry.
 */
export function adminClientFor(settings: AdminCallSettings): AdminClient {
  return createAdminClient({ baseUrl: settings.url, token: settings.token, zoneId: settings.zoneId ?? 'zone-of-the-token', fetch: undiciFetch });
}

/**
 * The line that says how to get a working operator token, added to a refused (expired or
 * invalid) one. Exact text, listed in docs/cli.md.
 */
export function mintHint(zoneId: string | undefined): string {
  return `the token was refused (expired?): mint a new one with caracal token --zone ${zoneId ?? '<zone>'} and export it as CARACAL_COORDINATOR_TOKEN`;
}

/** Runs one admin call, turning its CaracalAdminError into the CLI's own error (exit 1, request id printed). */
export async function adminCall<T>(settings: AdminCallSettings, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw cliErrorOf(error, settings.zoneId ?? readZoneClaim(settings.token));
  }
}

function cliErrorOf(error: unknown, zoneId: string | undefined): unknown {
  if (!(error instanceof CaracalAdminError)) return error;
  if (error.code === 'network') return new CliError('connection_failed', error.description, { cause: error });
  // A 2xx whose body is not JSON.
  if (error.status >= 200 && error.status < 300) return new CliError('invalid_response', error.description, { cause: error });
  const server = { status: error.status, error: error.code, description: error.description, requestId: error.requestId };
  const hint = error.status === 401 && error.code === 'invalid_token' ? mintHint(zoneId) : undefined;
  return new CliError('http_error', `${error.code}: ${error.description}`, { server, cause: error, ...(hint === undefined ? {} : { hint }) });
}
