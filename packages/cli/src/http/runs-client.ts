import type { CreatedRun, CreateRunBody, Run, Runner, RunState, UncheckedBody } from '@caracal/protocol';
import { collect } from '@caracal/sdk/admin';
import type { CoordinatorSettings } from '../settings/coordinator-settings.ts';
import { adminCall, adminClientFor } from './admin-calls.ts';
import { PAGE_LIMIT } from './collect-pages.ts';

/** The runs and runners routes (`/runs`, `/runners`), through `@caracal/sdk/admin`; their zone is the token's. */
export interface RunsClient {
  listRuns(filters: { status?: string; session_id?: string; agent_name?: string }): Promise<Array<UncheckedBody<Run>>>;
  getRun(runId: string): Promise<UncheckedBody<Run>>;
  createRun(body: CreateRunBody): Promise<UncheckedBody<CreatedRun>>;
  stopRun(runId: string): Promise<UncheckedBody<Run>>;
  listRunners(): Promise<Array<UncheckedBody<Runner>>>;
  removeRunner(runnerId: string): Promise<unknown>;
}

export function createRunsClient(settings: Pick<CoordinatorSettings, 'url' | 'token'>): RunsClient {
  const admin = adminClientFor(settings);
  const call = <T>(work: () => Promise<T>) => adminCall(settings, work);
  return {
    listRuns: (filters) =>
      call(() =>
        collect(
          admin.runs.list({ status: filters.status as RunState | undefined, sessionId: filters.session_id, agentName: filters.agent_name, limit: PAGE_LIMIT }),
        ),
      ),
    getRun: (id) => call(() => admin.runs.get(id)),
    createRun: (body) => call(() => admin.runs.create(body)),
    stopRun: (id) => call(() => admin.runs.stop(id)),
    listRunners: () => call(() => admin.runners.list()),
    removeRunner: (id) => call(() => admin.runners.remove(id)),
  };
}
