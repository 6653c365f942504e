import { CaracalAdminError } from './admin-error.ts';
import { adminTransport, segment, type TokenSource } from './admin-transport.ts';
import { adminDelegations, type AdminDelegations } from './delegations.ts';
import { adminBlueprints, adminRunners, adminRuns, type AdminBlueprints, type AdminRunners, type AdminRuns } from './runs.ts';
import { adminSessions, type AdminSessions } from './sessions.ts';
import { adminTimeline, type AdminTimeline } from './timeline.ts';
import { zoneClaimOf } from './zone-claim.ts';

export interface AdminClientOptions {
  /** The server's base URL, e.g. `http://127.0.0.1:4000`. */
  baseUrl: string;
  /** An operator mandate (or an application's mandate, which sees only its own rows), or how to get the current one. */
  token: TokenSource;
  /** The zone of the `/zones/{zoneId}/…` routes; read from the token's `zone_id` claim when absent. */
  zoneId?: string | undefined;
  /** Defaults to the global `fetch`. */
  fetch?: typeof fetch | undefined;
  /** Per-request timeout (default 30 s). */
  timeoutMs?: number | undefined;
}

/** A typed client of the operator routes (docs/admin-client.md). */
export interface AdminClient {
  /** The zone acted in; throws while it is unknown (a token function, no zoneId given, no call made yet). */
  readonly zoneId: string;
  readonly sessions: AdminSessions;
  readonly delegations: AdminDelegations;
  readonly runs: AdminRuns;
  readonly runners: AdminRunners;
  readonly blueprints: AdminBlueprints;
  readonly timeline: AdminTimeline;
}

/**
 * Builds an admin client. Browser-safe: it uses only `fetch`. Lists are async iterables over every
 * page; a refusal is a `CaracalAdminError` carrying the server's `code`.
 */
export function createAdminClient(options: AdminClientOptions): AdminClient {
  const transport = adminTransport(options);
  let zone = options.zoneId ?? (typeof options.token === 'string' ? zoneClaimOf(options.token) : undefined);
  const zonePath = async () => {
    zone ??= zoneClaimOf(await transport.token());
    return `/zones/${segment(zone)}`;
  };
  return {
    get zoneId() {
      if (zone === undefined) throw new CaracalAdminError(0, 'invalid_request', 'the zone is read from the token on the first call: pass zoneId to know it before');
      return zone;
    },
    sessions: adminSessions(transport, zonePath),
    delegations: adminDelegations(transport, zonePath),
    runs: adminRuns(transport),
    runners: adminRunners(transport),
    blueprints: adminBlueprints(transport),
    timeline: adminTimeline(transport),
  };
}
