import type { CreatedRun, CreateRunBody, Run, Runner, UncheckedBody } from '@caracal/protocol';
import type { CoordinatorSettings } from '../settings/coordinator-settings.ts';
import { collectPages, PAGE_LIMIT } from './collect-pages.ts';
import { requestJson } from './request-json.ts';
import { expectObject } from './response-shape.ts';
import { CliError } from '../errors.ts';

/** The runs and runners routes (`/runs`, `/runners`); their zone is the token's. */
export interface RunsClient {
  listRuns(filters: { status?: string; session_id?: string; agent_name?: string }): Promise<Array<UncheckedBody<Run>>>;
  getRun(runId: string): Promise<UncheckedBody<Run>>;
  createRun(body: CreateRunBody): Promise<UncheckedBody<CreatedRun>>;
  stopRun(runId: string): Promise<UncheckedBody<Run>>;
  listRunners(): Promise<Array<UncheckedBody<Runner>>>;
  removeRunner(runnerId: string): Promise<unknown>;
}

/** An answer `{ <field>: … }` with its field an object (one run) or an array (a list). */
function field<Value>(answer: unknown, name: string, what: string): Value {
  const value = (expectObject<Record<string, unknown>>(answer, what) as Record<string, unknown>)[name];
  if (value === undefined || value === null || typeof value !== 'object') {
    throw new CliError('invalid_response', `${what}: the server's answer has no ${name}`);
  }
  return value as Value;
}

export function createRunsClient(settings: Pick<CoordinatorSettings, 'url' | 'token'>): RunsClient {
  const call = (method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<unknown> =>
    requestJson({ method, url: settings.url + path, token: settings.token, ...(body === undefined ? {} : { body }) });
  return {
    listRuns: (filters) =>
      collectPages(async (cursor) => {
        const defined = Object.entries(filters).filter((entry): entry is [string, string] => entry[1] !== undefined);
        const search = new URLSearchParams({ ...Object.fromEntries(defined), limit: String(PAGE_LIMIT), ...(cursor === undefined ? {} : { cursor }) });
        const answer = await call('GET', `/runs?${search.toString()}`);
        const next = (answer as { next_cursor?: unknown } | null)?.next_cursor;
        return { items: field<Array<UncheckedBody<Run>>>(answer, 'runs', 'list runs'), next_cursor: typeof next === 'string' ? next : null };
      }, 'list runs'),
    getRun: async (id) => field<UncheckedBody<Run>>(await call('GET', `/runs/${encodeURIComponent(id)}`), 'run', 'get run'),
    createRun: async (body) => expectObject<CreatedRun>(await call('POST', '/runs', body), 'start run'),
    stopRun: async (id) => field<UncheckedBody<Run>>(await call('POST', `/runs/${encodeURIComponent(id)}/stop`, {}), 'run', 'stop run'),
    listRunners: async () => field<Array<UncheckedBody<Runner>>>(await call('GET', '/runners'), 'runners', 'list runners'),
    removeRunner: (id) => call('DELETE', `/runners/${encodeURIComponent(id)}`, {}),
  };
}
