// `@caracal/sdk/admin`: a typed client of the operator routes. Browser-safe: no Node.js module is
// imported here or below (test/package/exports.test.ts checks the built entry).

import { assertSupportedNode } from '../node-version.ts';

// Under Node.js, an older release fails here with one line, as every entry does; a browser has no
// `process` and nothing to check.
if (typeof process !== 'undefined' && typeof process.versions?.node === 'string') assertSupportedNode();

export type { AdminClient, AdminClientOptions } from './admin-client.ts';
export { createAdminClient } from './admin-client.ts';
export type { AdminErrorCode } from './admin-error.ts';
export { CaracalAdminError } from './admin-error.ts';
export type { TokenSource } from './admin-transport.ts';
export type { AdminDelegations, EdgeFilters, EdgeRow } from './delegations.ts';
export type { AdminPage } from './pages.ts';
export { collect } from './pages.ts';
export type { AdminBlueprints, AdminRunners, AdminRuns, BlueprintListing, RunFilters } from './runs.ts';
export type { ActionAnswer, AdminSessions, DryRunOption, SessionFilters, SessionRow, SessionTree } from './sessions.ts';
export type { AdminTimeline, EventFilters } from './timeline.ts';
